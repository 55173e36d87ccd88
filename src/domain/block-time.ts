/**
 * Block counts estimated from a time span. Lightning CLTVs are always blocks; in seconds mode a
 * time span is turned into blocks conservatively and asymmetrically, because block arrivals are
 * random (Poisson, mean 600 s) and a deadline "in blocks" can come hours early or late against
 * one "in seconds":
 *
 *   - a block deadline that must come AFTER a time (reverse: the held HTLC's cancel height vs
 *     refundLocktime) assumes fast blocks: `fastBlockSeconds` (default 300 s, twice the rate),
 *     rounded up — {@link mostBlocksUntil};
 *   - a block deadline that must come BEFORE a time (submarine: the LN CLTV limit vs
 *     refundLocktime) assumes slow blocks: `slowBlockSeconds` (default 1200 s, half the rate),
 *     rounded down — {@link fewestBlocksUntil}.
 *
 * timeout-chain.ts gives the failure probabilities of the defaults.
 */
import { assertLocktimeMode } from "./locktime-modes.js";
import { timeoutError as fail } from "./timeout-errors.js";
import type { ChainTip, TimeoutSettings } from "./timeout-settings.js";

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
