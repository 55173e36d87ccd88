import { arkError } from "./errors.js";

/*
 * The protos are loaded with `longs: String`: every int64/uint64 arrives as a decimal string,
 * so no value ever goes through a lossy JS number. These helpers are the only place where
 * such strings become bigints, with a range check for the declared proto type.
 */

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const DECIMAL = /^-?\d+$/;

function parse(value: unknown, field: string, min: bigint, max: bigint): bigint {
  let n: bigint | undefined;
  if (typeof value === "string" && DECIMAL.test(value)) n = BigInt(value);
  // Defensive: a safe-integer number is exact; anything else is refused rather than rounded.
  else if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
  if (n === undefined || n < min || n > max) {
    throw arkError("ark.invalid_response", `arkd sent an invalid 64-bit integer in ${field}`, {
      field,
      value: String(value),
    });
  }
  return n;
}

/**
 * Converts a proto int64 (decimal string under `longs: String`) to a bigint, exactly.
 * @param value the decoded field value
 * @param field dotted field path, for the error message
 * @returns the value as bigint
 * @throws GatewayError `ark.invalid_response` when not a decimal string in int64 range
 */
export function int64(value: unknown, field: string): bigint {
  return parse(value, field, INT64_MIN, INT64_MAX);
}

/**
 * Converts a proto uint64 (decimal string under `longs: String`) to a bigint, exactly.
 * @param value the decoded field value
 * @param field dotted field path, for the error message
 * @returns the value as bigint
 * @throws GatewayError `ark.invalid_response` when not a decimal string in uint64 range
 */
export function uint64(value: unknown, field: string): bigint {
  return parse(value, field, 0n, UINT64_MAX);
}
