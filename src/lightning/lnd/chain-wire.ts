/**
 * Reading LND's 64-bit integers: the loader gives them as decimal strings
 * (rpc/load-lnd-protos.ts), parsed here exactly (bigints, or numbers where they must be safe).
 */

/** @returns the value as a bigint, or undefined unless a decimal string (or safe integer) ≥ 0 */
export function parseUint(value: unknown): bigint | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value !== "string" || !/^\d{1,20}$/.test(value)) return undefined;
  return BigInt(value);
}

/** @returns the value as a bigint, or undefined unless a decimal string (or safe integer), maybe negative */
export function parseInt64(value: unknown): bigint | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (typeof value !== "string" || !/^-?\d{1,20}$/.test(value)) return undefined;
  return BigInt(value);
}

/** @returns a canonical non-negative decimal string as a safe integer, else undefined */
export function safeUintOf(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^(0|[1-9][0-9]*)$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
