/**
 * Argument checks shared by the adapter functions: each throws `ln.invalid_argument` naming the
 * field, before any call reaches LND.
 */
import { MAX_SATS } from "../amounts.js";
import { lnError } from "../errors.js";
import { isCompressedPubkeyHex, isHex, isHex32 } from "../../lib/hex.js";

function invalid(field: string, message: string): never {
  throw lnError("ln.invalid_argument", `${field}: ${message}`, { field });
}

/**
 * @returns the 32-byte hex value, lowercased
 * @throws GatewayError `ln.invalid_argument` unless exactly 64 hex characters
 */
export function expectHash32(value: unknown, field: string): string {
  if (!isHex32(value)) invalid(field, "expected 32 bytes of hex");
  return value.toLowerCase();
}

/**
 * @returns the compressed public key hex, lowercased
 * @throws GatewayError `ln.invalid_argument` unless 33 bytes hex starting 02/03
 */
export function expectPubkey(value: unknown, field: string): string {
  if (!isCompressedPubkeyHex(value)) invalid(field, "expected a 33-byte compressed public key");
  return value.toLowerCase();
}

/**
 * @param min smallest accepted amount in sats (0n or 1n)
 * @throws GatewayError `ln.invalid_argument` unless a bigint in [min, 21e14] sats
 */
export function expectSats(value: unknown, field: string, min: bigint): bigint {
  if (typeof value !== "bigint") invalid(field, "expected a bigint amount of sats");
  if (value < min || value > MAX_SATS) invalid(field, `expected ${min} to ${MAX_SATS} sats`);
  return value;
}

/** @throws GatewayError `ln.invalid_argument` unless a safe integer in [min, max] */
export function expectInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    invalid(field, `expected an integer from ${min} to ${max}`);
  }
  return value;
}

/** @throws GatewayError `ln.invalid_argument` unless a non-empty string without whitespace */
export function expectBolt11(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "" || /\s/.test(value.trim())) {
    invalid(field, "expected a BOLT11 invoice string");
  }
  return value.trim().replace(/^lightning:/i, "");
}

/** @throws GatewayError `ln.invalid_argument` unless a valid Date */
export function expectDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) invalid(field, "expected a valid Date");
  return value;
}

/** @throws GatewayError `ln.invalid_argument` unless a string of at most `maxBytes` UTF-8 bytes */
export function expectText(value: unknown, field: string, maxBytes: number): string {
  if (typeof value !== "string") invalid(field, "expected a string");
  if (Buffer.byteLength(value, "utf8") > maxBytes) invalid(field, `longer than ${maxBytes} bytes`);
  return value;
}

/**
 * A chain watch's output script and rescan height (spend and confirmation notifications).
 * @returns the script, lowercased
 * @throws GatewayError `ln.invalid_argument` unless hex and an integer height ≥ 1
 */
export function expectChainWatch(pkScript: unknown, heightHint: unknown): string {
  if (!isHex(pkScript)) throw lnError("ln.invalid_argument", "pkScript must be hex", {});
  if (typeof heightHint !== "number" || !Number.isInteger(heightHint) || heightHint < 1)
    throw lnError("ln.invalid_argument", "heightHint must be an integer ≥ 1", { heightHint });
  return pkScript.toLowerCase();
}
