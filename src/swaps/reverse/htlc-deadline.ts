/** The reverse swap's HTLC deadline: the hold invoice must be cancelled at htlcExpiry − margin. */
import type { ReverseSwap } from "../../domain/swap-records.js";
import { chainTip, type StepContext } from "../context.js";

export async function atHtlcDeadline(ctx: StepContext, swap: ReverseSwap): Promise<boolean> {
  if (swap.htlcExpiryHeight === null) return false;
  const { height } = await chainTip(ctx);
  return height >= swap.htlcExpiryHeight - ctx.settings.engine.holdInvoiceCancelMarginBlocks;
}
