/**
 * BIP-68 relative timelocks (CHECKSEQUENCEVERIFY) and absolute locktimes (CHECKLOCKTIMEVERIFY).
 *
 * Relative: `blocks` (1..65535) or `seconds` (512..33,553,920, a multiple of 512, since BIP-68
 * counts time in 512 s units). The sequence is `value` for blocks and `(1 << 22) | (seconds >> 9)`
 * for seconds. As a bare number (arkd GetInfo, Boltz `timeoutBlockHeights`) a value < 512 means
 * blocks and one ≥ 512 means seconds.
 * Absolute: nLockTime < 500,000,000 is a block height, otherwise a unix time in seconds.
 */
import { scriptError, type ScriptIssue } from "./errors.js";

export type TimelockType = "blocks" | "seconds";

/** A relative timelock; `value` counts blocks or seconds. */
export interface RelativeTimelock {
  readonly type: TimelockType;
  readonly value: bigint;
}

/** An absolute timelock: a block height (`blocks`) or a unix time in seconds (`seconds`). */
export interface AbsoluteTimelock {
  readonly type: TimelockType;
  readonly value: bigint;
}

export const SEQUENCE_TYPE_FLAG = 1 << 22;
export const SEQUENCE_VALUE_MASK = 0xffff;
/** Seconds granularity of BIP-68 time locks (2^9). */
export const SECONDS_GRANULARITY = 512n;
export const MAX_RELATIVE_BLOCKS = 0xffffn;
export const MAX_RELATIVE_SECONDS = 0xffffn * SECONDS_GRANULARITY;
/** nLockTime values from here on are unix times (seconds), below it block heights. */
export const LOCKTIME_THRESHOLD = 500_000_000n;
export const MAX_LOCKTIME = 0xffffffffn;

/**
 * Lists what is wrong with a relative timelock (empty when valid). Checks in the order the most
 * specific message comes first, and reports at most one problem per timelock.
 * @param field name of the parameter, used in each issue
 */
export function relativeTimelockIssues(t: unknown, field: string): ScriptIssue[] {
  const issue = (code: ScriptIssue["code"], message: string): ScriptIssue[] => [{ code, field, message }];
  if (typeof t !== "object" || t === null) return issue("timelock.invalid_type", "expected {type, value}");
  const { type, value } = t as { type?: unknown; value?: unknown };
  if (type !== "blocks" && type !== "seconds") {
    return issue("timelock.invalid_type", `type must be "blocks" or "seconds", got ${String(type)}`);
  }
  if (typeof value !== "bigint") return issue("timelock.not_bigint", "value must be a bigint");
  if (value <= 0n) return issue("timelock.not_positive", `must be greater than 0, got ${value}`);
  if (type === "blocks") {
    if (value > MAX_RELATIVE_BLOCKS) {
      return issue(
        "timelock.blocks_out_of_range",
        `blocks must be at most ${MAX_RELATIVE_BLOCKS}, got ${value}`,
      );
    }
    return [];
  }
  if (value < SECONDS_GRANULARITY)
    return issue("timelock.seconds_below_512", `must be at least 512, got ${value}`);
  if (value % SECONDS_GRANULARITY !== 0n) {
    return issue("timelock.seconds_not_multiple_of_512", `must be a multiple of 512, got ${value}`);
  }
  if (value > MAX_RELATIVE_SECONDS) {
    return issue(
      "timelock.seconds_out_of_range",
      `seconds must be at most ${MAX_RELATIVE_SECONDS}, got ${value}`,
    );
  }
  return [];
}

/** @throws GatewayError with the first issue's code when `t` is not a valid relative timelock. */
export function assertRelativeTimelock(t: unknown, field = "timelock"): asserts t is RelativeTimelock {
  const [first] = relativeTimelockIssues(t, field);
  if (first !== undefined) throw scriptError(first.code, `${field}: ${first.message}`, { field });
}

/**
 * BIP-68 sequence number of a relative timelock (what CSV compares against nSequence).
 * @param t blocks (1..65535) or seconds (multiple of 512, 512..33,553,920)
 * @returns the uint32 sequence
 * @throws GatewayError `timelock.*` when `t` is invalid
 */
export function encodeRelativeTimelock(t: RelativeTimelock): number {
  assertRelativeTimelock(t);
  if (t.type === "blocks") return Number(t.value);
  return SEQUENCE_TYPE_FLAG | Number(t.value / SECONDS_GRANULARITY);
}

/**
 * Reads a BIP-68 sequence back into a relative timelock. Strict: the disable flag, any bit other
 * than the type flag and the 16 value bits, and a zero value are refused, so that
 * `encodeRelativeTimelock(decodeRelativeTimelock(s)) === s` always holds.
 * @param sequence uint32 sequence, as a number or bigint
 * @throws GatewayError `timelock.invalid_sequence`
 */
export function decodeRelativeTimelock(sequence: number | bigint): RelativeTimelock {
  const s = typeof sequence === "bigint" ? sequence : Number.isSafeInteger(sequence) ? BigInt(sequence) : -1n;
  if (s < 0n || s > 0xffffffffn) {
    throw scriptError("timelock.invalid_sequence", `sequence must be a uint32, got ${String(sequence)}`);
  }
  const allowed = BigInt(SEQUENCE_TYPE_FLAG | SEQUENCE_VALUE_MASK);
  if ((s & ~allowed) !== 0n) {
    throw scriptError("timelock.invalid_sequence", `sequence ${s} sets bits BIP-68 locks do not use`, {
      sequence: s.toString(),
    });
  }
  const units = s & BigInt(SEQUENCE_VALUE_MASK);
  if (units === 0n) throw scriptError("timelock.invalid_sequence", `sequence ${s} locks nothing (value 0)`);
  return (s & BigInt(SEQUENCE_TYPE_FLAG)) !== 0n
    ? { type: "seconds", value: units * SECONDS_GRANULARITY }
    : { type: "blocks", value: units };
}

/**
 * Interprets a bare relative delay number the way arkd and the Boltz API do: < 512 → blocks,
 * ≥ 512 → seconds (which must then be a multiple of 512; arkd would silently round down).
 * @param value delay as a number (blocks or seconds)
 * @throws GatewayError `timelock.*` when the resulting timelock is invalid
 */
export function relativeTimelockFromNumber(value: bigint): RelativeTimelock {
  if (typeof value !== "bigint") throw scriptError("timelock.not_bigint", "value must be a bigint");
  const t: RelativeTimelock = { type: value < SECONDS_GRANULARITY ? "blocks" : "seconds", value };
  assertRelativeTimelock(t, "delay");
  return t;
}

/** Lists what is wrong with an absolute locktime (nLockTime), empty when valid (1..2^32-1). */
export function absoluteLocktimeIssues(value: unknown, field: string): ScriptIssue[] {
  if (typeof value !== "bigint") return [{ code: "timelock.not_bigint", field, message: "must be a bigint" }];
  if (value <= 0n)
    return [{ code: "timelock.not_positive", field, message: `must be greater than 0, got ${value}` }];
  if (value > MAX_LOCKTIME) {
    return [{ code: "timelock.absolute_out_of_range", field, message: `must be at most ${MAX_LOCKTIME}` }];
  }
  return [];
}

/**
 * Types an absolute locktime: block height below 500,000,000, unix time (seconds) from there on.
 * @param locktime nLockTime, 1..2^32-1
 * @throws GatewayError `timelock.*` when out of range
 */
export function decodeAbsoluteTimelock(locktime: bigint): AbsoluteTimelock {
  const [first] = absoluteLocktimeIssues(locktime, "locktime");
  if (first !== undefined) throw scriptError(first.code, `locktime: ${first.message}`);
  return { type: locktime < LOCKTIME_THRESHOLD ? "blocks" : "seconds", value: locktime };
}

/**
 * nLockTime of a typed absolute timelock.
 * @param t height (`blocks`, < 500,000,000) or unix time (`seconds`, ≥ 500,000,000, < 2^32)
 * @throws GatewayError `timelock.*` when the value does not fit its type
 */
export function encodeAbsoluteTimelock(t: AbsoluteTimelock): bigint {
  if (typeof t !== "object" || t === null || (t.type !== "blocks" && t.type !== "seconds")) {
    throw scriptError("timelock.invalid_type", 'expected {type: "blocks" | "seconds", value}');
  }
  const decoded = decodeAbsoluteTimelock(t.value);
  if (decoded.type !== t.type) {
    throw scriptError("timelock.absolute_out_of_range", `${t.value} is not a valid ${t.type} locktime`, {
      value: t.value.toString(),
    });
  }
  return t.value;
}
