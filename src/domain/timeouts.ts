/**
 * ARCHITECTURE invariant 3 as pure functions: the timeouts of a swap form one chain with margins.
 *
 *   LN payment CLTV limit  <  VHTLC refundLocktime − lnCltvMargin          (submarine)
 *   hold-invoice HTLC expiry > VHTLC refundLocktime + holdInvoiceCltvMargin (reverse)
 *   VHTLC refundLocktime   <  funding VTXO's batch expiry − batchExpiryMargin (both)
 *
 * Locktimes follow arkd's mode: "blocks" (block heights / relative blocks, regtest) or "seconds"
 * (unix times / relative seconds in multiples of 512). Lightning CLTVs are always blocks; in
 * seconds mode a time span becomes blocks through `secondsPerBlock` (floor where the gateway
 * must act before the deadline, ceil where it must outlast it), the margins absorb the variance.
 */
import { errorFactory } from "./errors.js";

export const TIMEOUT_ERRORS = {
  "timeout.invalid_setting": { httpStatus: 500, retryable: false },
  "timeout.mode_mismatch": { httpStatus: 500, retryable: false },
  "timeout.invalid_delay": { httpStatus: 500, retryable: false },
  "timeout.invalid_locktime": { httpStatus: 500, retryable: false },
  "timeout.unilateral_order": { httpStatus: 500, retryable: false },
  "timeout.cltv_budget_exhausted": { httpStatus: 400, retryable: false },
  "timeout.invoice_cltv_too_large": { httpStatus: 400, retryable: false },
  "timeout.hold_invoice_cltv_too_large": { httpStatus: 500, retryable: false },
  "timeout.hold_invoice_expires_too_soon": { httpStatus: 400, retryable: false },
  "timeout.refund_after_batch_expiry": { httpStatus: 400, retryable: false },
} as const;

const fail = errorFactory(TIMEOUT_ERRORS);

export type LocktimeMode = "blocks" | "seconds";

/** Absolute locktimes below this are block heights, from it on unix times (BIP-65). */
export const LOCKTIME_THRESHOLD = 500_000_000n;
/** Relative (BIP-68) delays below this are blocks, from it on seconds (Ark's convention). */
export const RELATIVE_SECONDS_THRESHOLD = 512n;
/** Largest relative delay in seconds BIP-68 can express (0xFFFF units of 512 s). */
export const MAX_RELATIVE_SECONDS = 0xffffn * 512n;

/** Where the chain is now: tip height and its time (median time past, unix seconds). */
export interface ChainTip {
  readonly height: bigint;
  readonly timeSeconds: bigint;
}

/** Timeout settings, in the unit of `mode` unless the name says blocks. */
export interface TimeoutSettings {
  readonly mode: LocktimeMode;
  /** refundLocktime of a submarine VHTLC = tip + this (blocks or seconds). */
  readonly submarineRefundDelta: bigint;
  /** refundLocktime of a reverse VHTLC = tip + this (blocks or seconds). */
  readonly reverseRefundDelta: bigint;
  /** Minimum relative delays; each is raised to arkd's unilateral exit delay when below it. */
  readonly unilateralClaimDelay: bigint;
  readonly unilateralRefundDelay: bigint;
  readonly unilateralRefundWithoutReceiverDelay: bigint;
  /** Blocks kept between the LN payment's CLTV limit and the VHTLC refund (production: 20). */
  readonly lnCltvMarginBlocks: bigint;
  /** Blocks the held HTLC must outlive the VHTLC refund by. */
  readonly holdInvoiceCltvMarginBlocks: bigint;
  /** Largest CLTV delta a hold invoice may ask for (LND refuses more than 2016). */
  readonly maxHoldInvoiceCltvDeltaBlocks: bigint;
  /** Kept between refundLocktime and the funding VTXO's batch expiry (blocks or seconds). */
  readonly batchExpiryMargin: bigint;
  /** Assumed block interval to turn seconds into blocks (600). Unused in blocks mode. */
  readonly secondsPerBlock: bigint;
}

/** The mode an absolute locktime value belongs to. */
export function absoluteLocktimeMode(locktime: bigint): LocktimeMode {
  return locktime < LOCKTIME_THRESHOLD ? "blocks" : "seconds";
}

/** The mode a relative (BIP-68, Ark convention) delay belongs to. */
export function relativeDelayMode(delay: bigint): LocktimeMode {
  return delay < RELATIVE_SECONDS_THRESHOLD ? "blocks" : "seconds";
}

/**
 * A relative delay in `mode` made valid: blocks stay as they are (1..511); seconds are rounded
 * up to a multiple of 512 (at least 512, at most 0xFFFF × 512).
 * @throws GatewayError `timeout.invalid_delay`
 */
export function normalizeRelativeDelay(delay: bigint, mode: LocktimeMode, name = "delay"): bigint {
  if (typeof delay !== "bigint" || delay <= 0n)
    throw fail("timeout.invalid_delay", `${name} must be a positive bigint`);
  if (mode === "blocks") {
    if (delay >= RELATIVE_SECONDS_THRESHOLD)
      throw fail("timeout.invalid_delay", `${name} ${delay} is not a block delay (< 512)`);
    return delay;
  }
  const rounded =
    delay < RELATIVE_SECONDS_THRESHOLD ? RELATIVE_SECONDS_THRESHOLD : ((delay + 511n) / 512n) * 512n;
  if (rounded > MAX_RELATIVE_SECONDS)
    throw fail("timeout.invalid_delay", `${name} ${delay} s exceeds BIP-68's range`);
  return rounded;
}

/**
 * refundLocktime = tip + delta: a height in blocks mode, a unix time in seconds mode.
 * @throws GatewayError `timeout.invalid_setting` (delta ≤ 0), `timeout.invalid_locktime` (crosses BIP-65's threshold)
 */
export function computeRefundLocktime(tip: ChainTip, mode: LocktimeMode, refundDelta: bigint): bigint {
  if (refundDelta <= 0n) throw fail("timeout.invalid_setting", "the refund delta must be positive");
  const locktime = (mode === "blocks" ? tip.height : tip.timeSeconds) + refundDelta;
  if (absoluteLocktimeMode(locktime) !== mode) {
    throw fail("timeout.invalid_locktime", `refundLocktime ${locktime} is not a valid ${mode} locktime`);
  }
  return locktime;
}

export interface UnilateralDelays {
  readonly unilateralClaimDelay: bigint;
  readonly unilateralRefundDelay: bigint;
  readonly unilateralRefundWithoutReceiverDelay: bigint;
}

/**
 * The three unilateral (CSV) delays of a VHTLC: each the larger of the setting and arkd's
 * unilateral exit delay (arkd refuses shorter exits), normalized for the mode. The receiver's
 * unilateral claim must mature before the sender's lone refund, or the sender wins the race.
 * @param serverUnilateralExitDelay arkd's public unilateral exit delay (BIP-68 value)
 * @throws GatewayError `timeout.mode_mismatch`, `timeout.invalid_delay`, `timeout.unilateral_order`
 */
export function computeUnilateralDelays(
  settings: Pick<TimeoutSettings, "mode" | keyof UnilateralDelays>,
  serverUnilateralExitDelay: bigint,
): UnilateralDelays {
  const { mode } = settings;
  if (serverUnilateralExitDelay <= 0n || relativeDelayMode(serverUnilateralExitDelay) !== mode) {
    throw fail(
      "timeout.mode_mismatch",
      `arkd's unilateral exit delay ${serverUnilateralExitDelay} is not a ${mode} delay`,
    );
  }
  const raise = (value: bigint, name: string): bigint =>
    normalizeRelativeDelay(value > serverUnilateralExitDelay ? value : serverUnilateralExitDelay, mode, name);
  const delays = {
    unilateralClaimDelay: raise(settings.unilateralClaimDelay, "unilateralClaimDelay"),
    unilateralRefundDelay: raise(settings.unilateralRefundDelay, "unilateralRefundDelay"),
    unilateralRefundWithoutReceiverDelay: raise(
      settings.unilateralRefundWithoutReceiverDelay,
      "unilateralRefundWithoutReceiverDelay",
    ),
  };
  if (delays.unilateralClaimDelay >= delays.unilateralRefundWithoutReceiverDelay) {
    throw fail(
      "timeout.unilateral_order",
      "unilateralClaimDelay must be shorter than unilateralRefundWithoutReceiverDelay",
      {
        unilateralClaimDelay: delays.unilateralClaimDelay.toString(),
        unilateralRefundWithoutReceiverDelay: delays.unilateralRefundWithoutReceiverDelay.toString(),
      },
    );
  }
  return delays;
}

/**
 * Blocks from the tip until `refundLocktime`; in seconds mode the span over `secondsPerBlock`,
 * rounded as asked. Negative when the locktime has passed.
 * @throws GatewayError `timeout.mode_mismatch` when the locktime is not of `mode`
 */
export function blocksUntil(
  tip: ChainTip,
  refundLocktime: bigint,
  settings: Pick<TimeoutSettings, "mode" | "secondsPerBlock">,
  rounding: "floor" | "ceil",
): bigint {
  assertLocktimeMode(refundLocktime, settings.mode);
  if (settings.mode === "blocks") return refundLocktime - tip.height;
  if (settings.secondsPerBlock <= 0n)
    throw fail("timeout.invalid_setting", "secondsPerBlock must be positive");
  const spanSeconds = refundLocktime - tip.timeSeconds;
  const quotient = spanSeconds / settings.secondsPerBlock; // truncates toward zero
  const exact = quotient * settings.secondsPerBlock === spanSeconds;
  if (exact) return quotient;
  if (rounding === "floor") return spanSeconds < 0n ? quotient - 1n : quotient;
  return spanSeconds < 0n ? quotient : quotient + 1n;
}

/** Whether the chain has reached `refundLocktime` (CLTV spendable). @throws as blocksUntil */
export function isLocktimeReached(tip: ChainTip, refundLocktime: bigint, mode: LocktimeMode): boolean {
  assertLocktimeMode(refundLocktime, mode);
  return (mode === "blocks" ? tip.height : tip.timeSeconds) >= refundLocktime;
}

export interface SubmarineCltvLimit {
  /** Most blocks the LN payment's HTLCs may stay locked (relative to the tip). */
  readonly cltvLimitBlocks: bigint;
  /** LND's `max_timeout_height`: tip height + cltvLimitBlocks. */
  readonly maxTimeoutHeight: bigint;
}

/**
 * Submarine: the LN payment must resolve before the wallet can take the VHTLC back, so its
 * CLTV limit is (blocks to refundLocktime, rounded down) − lnCltvMarginBlocks.
 * @throws GatewayError `timeout.cltv_budget_exhausted` when no block is left, `timeout.mode_mismatch`
 */
export function submarineCltvLimit(
  tip: ChainTip,
  refundLocktime: bigint,
  settings: TimeoutSettings,
): SubmarineCltvLimit {
  const cltvLimitBlocks = blocksUntil(tip, refundLocktime, settings, "floor") - settings.lnCltvMarginBlocks;
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
 * Reverse: the CLTV delta of the hold invoice, so that any HTLC paying it (expiry ≥ tip + delta)
 * outlives refundLocktime + holdInvoiceCltvMarginBlocks: (blocks to refund, rounded up) + margin + 1.
 * @throws GatewayError `timeout.hold_invoice_cltv_too_large`, `timeout.mode_mismatch`
 */
export function reverseHoldInvoiceCltvDelta(
  tip: ChainTip,
  refundLocktime: bigint,
  settings: TimeoutSettings,
): bigint {
  const toRefund = blocksUntil(tip, refundLocktime, settings, "ceil");
  const delta = (toRefund > 0n ? toRefund : 0n) + settings.holdInvoiceCltvMarginBlocks + 1n;
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
 * Reverse, when the HTLC is held: it must expire strictly after refundLocktime + margin,
 * otherwise the payer could take the money back while the wallet can still claim the VHTLC.
 * @param htlcExpiryHeight the held HTLC's absolute CLTV expiry (block height)
 * @throws GatewayError `timeout.hold_invoice_expires_too_soon`, `timeout.mode_mismatch`
 */
export function assertHeldHtlcOutlivesRefund(
  htlcExpiryHeight: bigint,
  tip: ChainTip,
  refundLocktime: bigint,
  settings: TimeoutSettings,
): void {
  const refundHeight = tip.height + blocksUntil(tip, refundLocktime, settings, "ceil");
  if (htlcExpiryHeight <= refundHeight + settings.holdInvoiceCltvMarginBlocks) {
    throw fail(
      "timeout.hold_invoice_expires_too_soon",
      "the held HTLC expires too close to the VHTLC refund",
      {
        htlcExpiryHeight: htlcExpiryHeight.toString(),
        refundHeight: refundHeight.toString(),
      },
    );
  }
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
  if (refundLocktime >= batchExpiry - settings.batchExpiryMargin) {
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

function assertLocktimeMode(locktime: bigint, mode: LocktimeMode): void {
  if (typeof locktime !== "bigint" || locktime < 0n || absoluteLocktimeMode(locktime) !== mode) {
    throw fail("timeout.mode_mismatch", `locktime ${String(locktime)} is not a ${mode} locktime`);
  }
}
