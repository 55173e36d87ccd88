/** A swap as clients see it: the public (Boltz) status and the transaction they care about. */
import type { Swap } from "../domain/swap-records.js";
import { publicStatus } from "../domain/public-status.js";
import type { SwapStatusView } from "./ports/swap-service.js";
import { tryParseOutpoint } from "../domain/outpoint.js";

/** The txid clients are shown for a swap in its current status, if any. */
function transactionId(swap: Swap): string | undefined {
  if (swap.type === "submarine") {
    if (swap.status === "claimed" && swap.claimTxid !== null) return swap.claimTxid;
    if (swap.status === "refunded" && swap.refundTxid !== null) return swap.refundTxid;
    return tryParseOutpoint(swap.fundingOutpoints[0])?.txid;
  }
  if (swap.status === "refunded" && swap.refundTxid !== null) return swap.refundTxid;
  return swap.fundingTxid ?? undefined;
}

/**
 * The public view of a swap.
 * @param preimage included for a paid submarine swap only (the wallet's proof of payment)
 */
export function statusView(swap: Swap, preimage?: string): SwapStatusView {
  const id = transactionId(swap);
  const transaction = id === undefined ? undefined : preimage === undefined ? { id } : { id, preimage };
  return {
    id: swap.id,
    type: swap.type,
    status: publicStatus(swap),
    ...(transaction === undefined ? {} : { transaction }),
    ...(swap.failureReason === null ? {} : { failureReason: swap.failureReason }),
  };
}
