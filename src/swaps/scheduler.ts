/**
 * Durable deadlines, derived from the stored swap rows on every tick (no separate table): the
 * invoice expiry (clock), refundLocktime and the held HTLC's cancel height (chain). A deadline
 * only triggers a step; the step decides again from LND, arkd and the database.
 */
import type { Swap } from "../domain/swap-records.js";
import type { LocktimeMode } from "../domain/timeout-settings.js";
import { isTerminalStatus } from "../domain/swap-types.js";

export type Deadline =
  | { readonly kind: "invoice_expiry"; readonly at: Date }
  | { readonly kind: "refund_locktime"; readonly locktime: bigint }
  | { readonly kind: "htlc_cancel"; readonly height: bigint };

/** Where the chain and the clock are. */
export interface Now {
  readonly date: Date;
  readonly height: bigint;
  readonly mode: LocktimeMode;
}

/**
 * The deadlines that matter for a swap in its current status.
 * @param cancelMarginBlocks cancel a held invoice at htlcExpiry − this
 */
export function swapDeadlines(swap: Swap, cancelMarginBlocks: bigint): Deadline[] {
  if (isTerminalStatus(swap.type, swap.status as never)) return [];
  const out: Deadline[] = [];
  if (swap.type === "submarine") {
    if (["awaiting_funding", "funding_detected", "funded"].includes(swap.status) && swap.expiresAt !== null)
      out.push({ kind: "invoice_expiry", at: swap.expiresAt });
    return out;
  }
  if (swap.status === "invoice_created") out.push({ kind: "invoice_expiry", at: swap.invoiceExpiresAt });
  if (["funded", "refunding"].includes(swap.status))
    out.push({ kind: "refund_locktime", locktime: swap.refundLocktime });
  if (
    swap.htlcExpiryHeight !== null &&
    ["invoice_held", "funding", "funded", "refunding", "refunding_onchain"].includes(swap.status)
  )
    out.push({ kind: "htlc_cancel", height: swap.htlcExpiryHeight - cancelMarginBlocks });
  return out;
}

/** Whether a deadline has been reached. */
export function isDue(deadline: Deadline, now: Now): boolean {
  switch (deadline.kind) {
    case "invoice_expiry":
      return now.date.getTime() >= deadline.at.getTime();
    case "refund_locktime":
      return (
        (now.mode === "blocks" ? now.height : BigInt(Math.floor(now.date.getTime() / 1000))) >=
        deadline.locktime
      );
    case "htlc_cancel":
      return now.height >= deadline.height;
  }
}

/** Swaps with at least one deadline reached: they are advanced first on a tick. */
export function dueSwaps<S extends Swap>(swaps: readonly S[], now: Now, cancelMarginBlocks: bigint): S[] {
  return swaps.filter((s) => swapDeadlines(s, cancelMarginBlocks).some((d) => isDue(d, now)));
}

/**
 * Milliseconds until the earliest future clock deadline among `swaps` (so the engine wakes up on
 * time for invoice expiries), or undefined when none. Chain deadlines are checked on every tick.
 */
export function msUntilNextClockDeadline(
  swaps: readonly Swap[],
  now: Date,
  cancelMarginBlocks: bigint,
): number | undefined {
  let best: number | undefined;
  for (const swap of swaps) {
    for (const d of swapDeadlines(swap, cancelMarginBlocks)) {
      if (d.kind !== "invoice_expiry") continue;
      const ms = d.at.getTime() - now.getTime();
      if (ms > 0 && (best === undefined || ms < best)) best = ms;
    }
  }
  return best;
}
