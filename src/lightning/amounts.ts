/**
 * Exact amount conversions at the LND boundary. Our gRPC client decodes LND's 64-bit integers as
 * decimal strings (`value_msat`, `fee_msat`, ...); we parse them as bigint and never go through
 * Number.
 */
import { lnError } from "./errors.js";

const MSAT_PER_SAT = 1000n;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** 21 million BTC in satoshis: no amount can exceed it. */
export const MAX_SATS = 2_100_000_000_000_000n;

/**
 * Parses a millisatoshi string exactly.
 * @param value decimal string of msat, as our LND client decodes it (`"1000"`, `"1"`)
 * @param field name used in the error, e.g. `fee_msat`
 * @returns the amount in msat
 * @throws GatewayError `ln.unexpected_response` when the value is not a plain non-negative decimal
 */
export function parseMsat(value: unknown, field: string): bigint {
  if (typeof value !== "string" || !DECIMAL.test(value)) {
    throw lnError("ln.unexpected_response", `LND returned a malformed msat amount in ${field}`, {
      field,
      value: typeof value === "string" ? value : typeof value,
    });
  }
  return BigInt(value);
}

/** Like {@link parseMsat}, but an absent value (undefined or empty) reads as 0 msat. */
export function parseOptionalMsat(value: unknown, field: string): bigint {
  return value === undefined || value === "" ? 0n : parseMsat(value, field);
}

/**
 * Rounds msat down to whole sats: for amounts we receive (never credit more than arrived).
 * @param msat amount in msat, non-negative
 * @returns sats, rounded toward zero
 */
export function msatToSatsFloor(msat: bigint): bigint {
  return msat / MSAT_PER_SAT;
}

/**
 * Rounds msat up to whole sats: for amounts we pay (fees, invoice amounts we must cover).
 * @param msat amount in msat, non-negative
 * @returns sats, rounded up
 */
export function msatToSatsCeil(msat: bigint): bigint {
  return (msat + MSAT_PER_SAT - 1n) / MSAT_PER_SAT;
}

/**
 * Converts sats to an exact msat decimal string (LND's 64-bit msat fields).
 * @param sats amount in sats
 * @returns decimal msat string
 */
export function satsToMsatString(sats: bigint): string {
  return (sats * MSAT_PER_SAT).toString();
}
