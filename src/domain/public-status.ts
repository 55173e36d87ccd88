/**
 * The public (Boltz) status of a stored swap: the PUBLIC_STATUS table, except that a refunded
 * submarine swap keeps reporting the failure it was refunded from (`invoice.failedToPay` after
 * `payment_failed`, `transaction.lockupFailed` after `funding_rejected`), as Boltz does. The
 * internal status stays `refunded` (CLI, event log); the transaction shown is the refund's.
 */
import type { SubmarineSwap, Swap } from "./swap-records.js";
import { toPublicStatus, type BoltzStatus, type SubmarineRefundedFrom } from "./swap-types.js";

/** failureReasons written on the way to funding_rejected (funding_refused, funding_lost). */
const FUNDING_REJECTED_REASON = /^(funding refused: |funding VTXO |no funding VTXO recorded)/;

/**
 * The failure status a refunded submarine swap came from: the stored fact, else (a row refunded
 * before it was stored and without its event row) inferred from the failure reason, else
 * payment_failed (the usual way to a refund).
 */
export function refundedFrom(swap: SubmarineSwap): SubmarineRefundedFrom {
  if (swap.refundedFrom !== undefined && swap.refundedFrom !== null) return swap.refundedFrom;
  return swap.failureReason !== null && FUNDING_REJECTED_REASON.test(swap.failureReason)
    ? "funding_rejected"
    : "payment_failed";
}

/** The status clients are shown for a stored swap (`GET /v2/swap/{id}`, `swap.update`, restore). */
export function publicStatus(swap: Swap): BoltzStatus {
  if (swap.type === "submarine" && swap.status === "refunded")
    return toPublicStatus("submarine", refundedFrom(swap));
  return toPublicStatus(swap.type, swap.status as never);
}
