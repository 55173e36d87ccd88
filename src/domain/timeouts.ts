/**
 * ARCHITECTURE invariant 3 as pure functions: the timeouts of a swap form one chain with margins.
 *
 *   LN payment CLTV limit  <  VHTLC refundLocktime − lnCltvMargin          (submarine)
 *   hold-invoice HTLC expiry > VHTLC refundLocktime + holdInvoiceCltvMargin (reverse)
 *   VHTLC refundLocktime   <  funding VTXO's batch expiry − batchExpiryMargin (both)
 *
 * Locktimes follow arkd's mode: "blocks" (block heights / relative blocks, regtest) or "seconds"
 * (unix times / relative seconds in multiples of 512). Lightning CLTVs are always blocks. In
 * seconds mode a time span is turned into blocks conservatively and asymmetrically, because block
 * arrivals are random (Poisson, mean 600 s) and a deadline "in blocks" can come hours early or
 * late against one "in seconds":
 *
 *   - a block deadline that must come AFTER a time (reverse: the held HTLC's cancel height vs
 *     refundLocktime) assumes fast blocks: `fastBlockSeconds` (default 300 s, twice the rate),
 *     rounded up — {@link mostBlocksUntil};
 *   - a block deadline that must come BEFORE a time (submarine: the LN CLTV limit vs
 *     refundLocktime) assumes slow blocks: `slowBlockSeconds` (default 1200 s, half the rate),
 *     rounded down — {@link fewestBlocksUntil}.
 *
 * With the default seconds-mode settings (reverse refund +12 h, hold margin 10, cancel margin 6;
 * submarine refund +48 h, LN margin 20) the probability that the chain outruns the plan is
 * P(Poisson(72) ≥ 148) ≈ 3.1e-15 (reverse: cancel height reached before the first block that can
 * carry refundLocktime) and P(Poisson(288) < 144) ≈ 2.1e-21 (submarine: the LN margin eaten by
 * refundLocktime); test/unit/domain/timeouts.test.ts computes both tails.
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
  /** Mean block interval in seconds (600): neutral estimates only (e.g. the claim window). */
  readonly secondsPerBlock: bigint;
  /**
   * Fast-chain block interval in seconds (300): the most blocks a span may see is
   * ceil(span / this), used where a block deadline must come after a time. Unused in blocks mode.
   */
  readonly fastBlockSeconds: bigint;
  /**
   * Slow-chain block interval in seconds (1200): the fewest blocks a span will see is
   * floor(span / this), used where a block deadline must come before a time. Unused in blocks mode.
   */
  readonly slowBlockSeconds: bigint;
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

/**
 * Upper bound on the blocks the chain mines from the tip until `locktime` is reached (blocks
 * mode: exact; seconds mode: ceil(span / fastBlockSeconds); ≤ 0 once passed). A block height
 * further out than tip + this is reached after `locktime` with overwhelming probability.
 * @throws GatewayError `timeout.mode_mismatch`, `timeout.invalid_setting`
 */
export function mostBlocksUntil(
  tip: ChainTip,
  locktime: bigint,
  settings: Pick<TimeoutSettings, "mode" | "fastBlockSeconds">,
): bigint {
  if (settings.mode === "blocks")
    return blocksUntil(tip, locktime, { mode: "blocks", secondsPerBlock: 1n }, "ceil");
  return blocksUntil(
    tip,
    locktime,
    { mode: "seconds", secondsPerBlock: positive(settings.fastBlockSeconds, "fastBlockSeconds") },
    "ceil",
  );
}

/**
 * Lower bound on the blocks the chain mines from the tip until `locktime` is reached (blocks
 * mode: exact; seconds mode: floor(span / slowBlockSeconds), negative once passed). A block
 * height at most tip + this is reached before `locktime` with overwhelming probability.
 * @throws GatewayError `timeout.mode_mismatch`, `timeout.invalid_setting`
 */
export function fewestBlocksUntil(
  tip: ChainTip,
  locktime: bigint,
  settings: Pick<TimeoutSettings, "mode" | "slowBlockSeconds">,
): bigint {
  if (settings.mode === "blocks")
    return blocksUntil(tip, locktime, { mode: "blocks", secondsPerBlock: 1n }, "floor");
  return blocksUntil(
    tip,
    locktime,
    { mode: "seconds", secondsPerBlock: positive(settings.slowBlockSeconds, "slowBlockSeconds") },
    "floor",
  );
}

function positive(value: bigint, name: string): bigint {
  if (typeof value !== "bigint" || value <= 0n)
    throw fail("timeout.invalid_setting", `${name} must be positive`);
  return value;
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
