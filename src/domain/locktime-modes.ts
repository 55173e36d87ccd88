/**
 * Locktime modes and their conversions: which mode a locktime or relative delay belongs to,
 * relative delays normalized for a mode (BIP-68, Ark's 512 s convention), and refundLocktime
 * computed from the tip. See timeout-chain.ts for the rules the timeouts must satisfy together.
 */
import { timeoutError as fail } from "./timeout-errors.js";
import type { ChainTip, LocktimeMode, TimeoutSettings, UnilateralDelays } from "./timeout-settings.js";

/** Absolute locktimes below this are block heights, from it on unix times (BIP-65). */
export const LOCKTIME_THRESHOLD = 500_000_000n;
/** Relative (BIP-68) delays below this are blocks, from it on seconds (Ark's convention). */
export const RELATIVE_SECONDS_THRESHOLD = 512n;
/** Largest relative delay in seconds BIP-68 can express (0xFFFF units of 512 s). */
export const MAX_RELATIVE_SECONDS = 0xffffn * 512n;

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

/** Whether the chain has reached `refundLocktime` (CLTV spendable). @throws as blocksUntil */
export function isLocktimeReached(tip: ChainTip, refundLocktime: bigint, mode: LocktimeMode): boolean {
  assertLocktimeMode(refundLocktime, mode);
  return (mode === "blocks" ? tip.height : tip.timeSeconds) >= refundLocktime;
}

/**
 * Asserts `locktime` is a non-negative absolute locktime of `mode`.
 * @throws GatewayError `timeout.mode_mismatch`
 */
export function assertLocktimeMode(locktime: bigint, mode: LocktimeMode): void {
  if (typeof locktime !== "bigint" || locktime < 0n || absoluteLocktimeMode(locktime) !== mode) {
    throw fail("timeout.mode_mismatch", `locktime ${String(locktime)} is not a ${mode} locktime`);
  }
}
