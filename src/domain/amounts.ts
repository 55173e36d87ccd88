/**
 * Bitcoin amounts as bigint: satoshis (`…Sats`) and millisatoshis (`…Msat`). Never floats.
 * Rounding rule of the whole gateway: what the gateway asks for (fees, expected amounts) is
 * rounded up (ceil); what a user receives is rounded down (floor).
 */
import { errorFactory } from "./errors.js";

export const AMOUNT_ERRORS = {
  "amount.invalid": { httpStatus: 400, retryable: false },
  "amount.negative": { httpStatus: 400, retryable: false },
  "amount.too_large": { httpStatus: 400, retryable: false },
  "amount.not_whole_sats": { httpStatus: 400, retryable: false },
} as const;

const fail = errorFactory(AMOUNT_ERRORS);

export const MSAT_PER_SAT = 1000n;
export const SATS_PER_BTC = 100_000_000n;
/** 21 million BTC: no valid amount exceeds it. */
export const MAX_SATS = 21_000_000n * SATS_PER_BTC;
export const MAX_MSAT = MAX_SATS * MSAT_PER_SAT;

/**
 * Asserts `value` is a bigint satoshi amount in [0, 21M BTC].
 * @param name field name used in the error message (e.g. "invoiceAmountSats")
 * @returns the same value, for chaining
 * @throws GatewayError `amount.invalid` (not a bigint), `amount.negative`, `amount.too_large`
 */
export function assertSats(value: unknown, name = "amountSats"): bigint {
  return assertRange(value, name, MAX_SATS);
}

/**
 * Asserts `value` is a bigint millisatoshi amount in [0, 21M BTC].
 * @throws GatewayError `amount.invalid`, `amount.negative`, `amount.too_large`
 */
export function assertMsat(value: unknown, name = "amountMsat"): bigint {
  return assertRange(value, name, MAX_MSAT);
}

function assertRange(value: unknown, name: string, max: bigint): bigint {
  if (typeof value !== "bigint") throw fail("amount.invalid", `${name} must be a bigint`, { name });
  if (value < 0n) throw fail("amount.negative", `${name} must not be negative`, { name });
  if (value > max) throw fail("amount.too_large", `${name} exceeds 21 million BTC`, { name });
  return value;
}

/**
 * Parses a decimal integer string of satoshis ("12345"). No signs, decimals, exponents or spaces.
 * @throws GatewayError `amount.invalid` (malformed), `amount.too_large`
 */
export function parseSats(text: string, name = "amountSats"): bigint {
  if (typeof text !== "string" || !/^(0|[1-9][0-9]{0,18})$/.test(text)) {
    throw fail("amount.invalid", `${name} must be a non-negative integer number of sats`, { name });
  }
  return assertSats(BigInt(text), name);
}

/**
 * Parses a BTC decimal string ("0.00012345", at most 8 decimals) into sats, exactly.
 * @throws GatewayError `amount.invalid` (malformed or more than 8 decimals), `amount.too_large`
 */
export function parseBtc(text: string, name = "amountBtc"): bigint {
  const match = typeof text === "string" ? /^(0|[1-9][0-9]{0,7})(?:\.([0-9]{1,8}))?$/.exec(text) : null;
  if (match === null)
    throw fail("amount.invalid", `${name} must be a BTC amount with ≤ 8 decimals`, { name });
  const whole = BigInt(match[1] ?? "0");
  const fraction = BigInt((match[2] ?? "").padEnd(8, "0"));
  return assertSats(whole * SATS_PER_BTC + fraction, name);
}

/** Formats sats as a BTC decimal string with 8 decimals ("0.00012345"). @throws as assertSats */
export function formatBtc(amountSats: bigint): string {
  assertSats(amountSats);
  const whole = amountSats / SATS_PER_BTC;
  const fraction = (amountSats % SATS_PER_BTC).toString().padStart(8, "0");
  return `${whole}.${fraction}`;
}

/** sats → msat (exact). @throws as assertSats */
export function satsToMsat(amountSats: bigint): bigint {
  return assertSats(amountSats) * MSAT_PER_SAT;
}

/** msat → sats rounded down: for amounts someone receives. @throws as assertMsat */
export function msatToSatsFloor(amountMsat: bigint): bigint {
  return assertMsat(amountMsat) / MSAT_PER_SAT;
}

/** msat → sats rounded up: for amounts the gateway asks for. @throws as assertMsat */
export function msatToSatsCeil(amountMsat: bigint): bigint {
  return ceilDiv(assertMsat(amountMsat), MSAT_PER_SAT);
}

/**
 * msat → sats when the amount must be a whole number of sats.
 * @throws GatewayError `amount.not_whole_sats`, or as assertMsat
 */
export function msatToSatsExact(amountMsat: bigint): bigint {
  if (assertMsat(amountMsat) % MSAT_PER_SAT !== 0n) {
    throw fail("amount.not_whole_sats", "amount is not a whole number of sats", {
      amountMsat: amountMsat.toString(),
    });
  }
  return amountMsat / MSAT_PER_SAT;
}

/** a + b in sats, checked. @throws GatewayError `amount.too_large`, or as assertSats */
export function addSats(a: bigint, b: bigint): bigint {
  return assertSats(assertSats(a, "a") + assertSats(b, "b"), "sum");
}

/** a − b in sats, checked (never below zero). @throws GatewayError `amount.negative` */
export function subSats(a: bigint, b: bigint): bigint {
  return assertSats(assertSats(a, "a") - assertSats(b, "b"), "difference");
}

/** ⌈a / b⌉ for a ≥ 0, b > 0. @throws GatewayError `amount.invalid` on a bad divisor or a < 0 */
export function ceilDiv(a: bigint, b: bigint): bigint {
  assertDivision(a, b);
  return (a + b - 1n) / b;
}

function assertDivision(a: bigint, b: bigint): void {
  if (typeof a !== "bigint" || typeof b !== "bigint" || a < 0n || b <= 0n) {
    throw fail("amount.invalid", "division needs a non-negative bigint dividend and a positive divisor");
  }
}

/** The larger of two bigints. */
export function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** The smaller of two bigints. */
export function minBigint(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
