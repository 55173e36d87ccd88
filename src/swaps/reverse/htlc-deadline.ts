/** The reverse swap's HTLC deadline: the hold invoice must be cancelled at htlcExpiry − margin. */
import type { ReverseSwap } from "../../domain/swap-records.js";
import type { ChainTip } from "../../domain/timeout-settings.js";
import { chainTip, type StepContext } from "../context.js";

/**
 * Whether the chain is at the hold invoice's cancel height.
 * @param tip the tip the caller has just read in the same step (else it is read here)
 */
export async function atHtlcDeadline(ctx: StepContext, swap: ReverseSwap, tip?: ChainTip): Promise<boolean> {
  if (swap.htlcExpiryHeight === null) return false;
  const { height } = tip ?? (await chainTip(ctx));
  return height >= swap.htlcExpiryHeight - ctx.settings.engine.holdInvoiceCancelMarginBlocks;
}
