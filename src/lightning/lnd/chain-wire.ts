/**
 * Reading LND's 64-bit integers in the chain and wallet answers: the loader gives them as decimal
 * strings (rpc/load-lnd-protos.ts), parsed here exactly into bigints.
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
