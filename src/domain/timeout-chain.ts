/**
 * ARCHITECTURE invariant 3 as pure functions: the timeouts of a swap form one chain with margins.
 *
 *   LN payment CLTV limit  <  VHTLC refundLocktime − lnCltvMargin          (submarine)
 *   hold-invoice HTLC expiry > VHTLC refundLocktime + holdInvoiceCltvMargin (reverse)
 *   VHTLC refundLocktime   <  funding VTXO's batch expiry − batchExpiryMargin (both)
 *
 * Lightning CLTVs are always blocks; in seconds mode the spans to refundLocktime are turned into
 * blocks asymmetrically (block-time.ts): fast blocks where a block deadline must come after it
 * (reverse), slow blocks where it must come before it (submarine).
 *
 * With the default seconds-mode settings (reverse refund +12 h, hold margin 10, cancel margin 6;
 * submarine refund +48 h, LN margin 20) the probability that the chain outruns the plan is
 * P(Poisson(72) ≥ 148) ≈ 3.1e-15 (reverse: cancel height reached before the first block that can
 * carry refundLocktime) and P(Poisson(288) < 144) ≈ 2.1e-21 (submarine: the LN margin eaten by
 * refundLocktime); test/unit/domain/timeouts.test.ts computes both tails.
 */
import { fewestBlocksUntil, mostBlocksUntil } from "./block-time.js";
import { assertLocktimeMode } from "./locktime-modes.js";
import { timeoutError as fail } from "./timeout-errors.js";
import type { ChainTip, TimeoutSettings } from "./timeout-settings.js";

export interface SubmarineCltvLimit {
  /** Most blocks the LN payment's HTLCs may stay locked (relative to the tip). */
  readonly cltvLimitBlocks: bigint;
  /** LND's `max_timeout_height`: tip height + cltvLimitBlocks. */
  readonly maxTimeoutHeight: bigint;
}

/**
 * Submarine: the LN payment must resolve before the wallet can take the VHTLC back, so its
 * CLTV limit is (fewest blocks to refundLocktime: slow blocks, rounded down) − lnCltvMarginBlocks.
 * @throws GatewayError `timeout.cltv_budget_exhausted` when no block is left, `timeout.mode_mismatch`
 */
export function submarineCltvLimit(
  tip: ChainTip,
  refundLocktime: bigint,
  settings: TimeoutSettings,
): SubmarineCltvLimit {
  const cltvLimitBlocks = fewestBlocksUntil(tip, refundLocktime, settings) - settings.lnCltvMarginBlocks;
  if (cltvLimitBlocks <= 0n) {
    throw fail("timeout.cltv_budget_exhausted", "too close to the VHTLC refund to pay the invoice safely", {
      refundLocktime: refundLocktime.toString(),
      tipHeight: tip.height.toString(),
    });
  }
  return { cltvLimitBlocks, maxTimeoutHeight: tip.height + cltvLimitBlocks };
}

/**
 * Asserts an invoice can be routed within the CLTV limit: its final CLTV delta alone must be
 * below it (each hop adds more).
 * @throws GatewayError `timeout.invoice_cltv_too_large`
 */
export function assertInvoiceCltvFits(invoiceMinFinalCltvDelta: bigint, cltvLimitBlocks: bigint): void {
  if (invoiceMinFinalCltvDelta >= cltvLimitBlocks) {
    throw fail(
      "timeout.invoice_cltv_too_large",
      "the invoice's final CLTV delta does not fit the swap's timeout",
      {
        invoiceMinFinalCltvDelta: invoiceMinFinalCltvDelta.toString(),
        cltvLimitBlocks: cltvLimitBlocks.toString(),
      },
    );
  }
}

/**
 * Reverse: the CLTV delta of the hold invoice. The gateway cancels a held invoice at
 * htlcExpiry − cancelMarginBlocks, and that cancel height must only be reachable after
 * refundLocktime (else a wallet that is also the payer claims the VHTLC after the HTLC went
 * back). Any HTLC paying it (expiry ≥ payment height + delta ≥ tip + delta) therefore outlives
 * the most blocks until refundLocktime ({@link mostBlocksUntil}) by
 * max(holdInvoiceCltvMarginBlocks, cancelMarginBlocks) + 1 blocks, so its cancel height does by
 * at least one block. Blocks mode: (blocks to refund) + margin + 1, as before.
 * @param cancelMarginBlocks the engine cancels a held invoice at htlcExpiry − this (blocks)
 * @throws GatewayError `timeout.hold_invoice_cltv_too_large`, `timeout.mode_mismatch`, `timeout.invalid_setting`
 */
export function reverseHoldInvoiceCltvDelta(
  tip: ChainTip,
  refundLocktime: bigint,
  settings: TimeoutSettings,
  cancelMarginBlocks: bigint,
): bigint {
  if (cancelMarginBlocks < 0n)
    throw fail("timeout.invalid_setting", "cancelMarginBlocks must not be negative");
  const margin =
    settings.holdInvoiceCltvMarginBlocks > cancelMarginBlocks
      ? settings.holdInvoiceCltvMarginBlocks
      : cancelMarginBlocks;
  const toRefund = mostBlocksUntil(tip, refundLocktime, settings);
  const delta = (toRefund > 0n ? toRefund : 0n) + margin + 1n;
  if (delta > settings.maxHoldInvoiceCltvDeltaBlocks) {
    throw fail(
      "timeout.hold_invoice_cltv_too_large",
      `a hold invoice CLTV delta of ${delta} blocks is too large`,
      {
        cltvDelta: delta.toString(),
        max: settings.maxHoldInvoiceCltvDeltaBlocks.toString(),
      },
    );
  }
  return delta;
}

/**
 * Reverse, when the HTLC is held: it must expire strictly after (most blocks to refundLocktime)
 * + holdInvoiceCltvMarginBlocks, and its cancel height (expiry − cancelMarginBlocks) strictly
 * after the most blocks to refundLocktime: otherwise the payer could take the money back, or the
 * gateway would have to cancel, while the wallet can still claim the VHTLC.
 * @param htlcExpiryHeight the held HTLC's absolute CLTV expiry (block height)
 * @param cancelMarginBlocks the engine cancels a held invoice at htlcExpiry − this (blocks)
 * @throws GatewayError `timeout.hold_invoice_expires_too_soon`, `timeout.mode_mismatch`
 */
export function assertHeldHtlcOutlivesRefund(
  htlcExpiryHeight: bigint,
  tip: ChainTip,
  refundLocktime: bigint,
  settings: TimeoutSettings,
  cancelMarginBlocks: bigint,
): void {
  const refundHeight = tip.height + mostBlocksUntil(tip, refundLocktime, settings);
  if (
    htlcExpiryHeight <= refundHeight + settings.holdInvoiceCltvMarginBlocks ||
    htlcExpiryHeight - cancelMarginBlocks <= refundHeight
  ) {
    throw fail(
      "timeout.hold_invoice_expires_too_soon",
      "the held HTLC expires too close to the VHTLC refund",
      {
        htlcExpiryHeight: htlcExpiryHeight.toString(),
        refundHeight: refundHeight.toString(),
        cancelMarginBlocks: cancelMarginBlocks.toString(),
      },
    );
  }
}

/**
 * The batch expiry a funding VTXO must exceed for its VHTLC to be accepted (see
 * assertRefundBeforeBatchExpiry): what a wallet funding the VHTLC passes as `minBatchExpiry`.
 */
export function minFundingBatchExpiry(
  refundLocktime: bigint,
  settings: Pick<TimeoutSettings, "batchExpiryMargin">,
): bigint {
  return refundLocktime + settings.batchExpiryMargin;
}

/**
 * refundLocktime must come before the funding VTXO's batch expiry, with a margin: after the
 * expiry arkd may sweep the VTXO and no VHTLC path is safe any more.
 * @param batchExpiry absolute expiry of the VTXO's batch, same mode as refundLocktime
 * @throws GatewayError `timeout.refund_after_batch_expiry`, `timeout.mode_mismatch`
 */
export function assertRefundBeforeBatchExpiry(
  refundLocktime: bigint,
  batchExpiry: bigint,
  settings: TimeoutSettings,
): void {
  assertLocktimeMode(refundLocktime, settings.mode);
  assertLocktimeMode(batchExpiry, settings.mode);
  if (batchExpiry <= minFundingBatchExpiry(refundLocktime, settings)) {
    throw fail(
      "timeout.refund_after_batch_expiry",
      "the VHTLC refund comes too close to the VTXO's batch expiry",
      {
        refundLocktime: refundLocktime.toString(),
        batchExpiry: batchExpiry.toString(),
      },
    );
  }
}
