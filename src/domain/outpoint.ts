/**
 * The one codec of an outpoint's string form `txid:vout`, used everywhere the gateway stores,
 * logs or exchanges one: the txid is 64 lower-case hex characters (as arkd, LND and the
 * database hold it), the vout a decimal integer 0..2^32-1 without leading zeros. Anything else
 * is not an outpoint; nothing is lower-cased or trimmed on the way.
 */
import { errorFactory } from "./errors.js";

export const OUTPOINT_ERRORS = {
  "outpoint.invalid": { httpStatus: 400, retryable: false },
} as const;

const fail = errorFactory(OUTPOINT_ERRORS);

/** Largest output index (a vout is a uint32 in a transaction input). */
export const MAX_VOUT = 0xffffffff;

export interface Outpoint {
  /** 64 lower-case hex characters. */
  readonly txid: string;
  /** 0..2^32-1. */
  readonly vout: number;
}

const TXID = /^[0-9a-f]{64}$/;
const OUTPOINT = /^([0-9a-f]{64}):(0|[1-9][0-9]{0,9})$/;

/** Whether `txid` is 64 lower-case hex characters. */
export function isTxid(txid: unknown): txid is string {
  return typeof txid === "string" && TXID.test(txid);
}

/** Whether `vout` is an integer 0..2^32-1. */
export function isVout(vout: unknown): vout is number {
  return typeof vout === "number" && Number.isInteger(vout) && vout >= 0 && vout <= MAX_VOUT;
}

/** `txid:vout` → its parts, or undefined when the string is not a valid outpoint. */
export function tryParseOutpoint(outpoint: unknown): Outpoint | undefined {
  if (typeof outpoint !== "string") return undefined;
  const m = OUTPOINT.exec(outpoint);
  if (m === null) return undefined;
  const vout = Number(m[2]);
  return isVout(vout) ? { txid: m[1] as string, vout } : undefined;
}

/**
 * `txid:vout` → its parts.
 * @throws GatewayError `outpoint.invalid`
 */
export function parseOutpoint(outpoint: string): Outpoint {
  const parsed = tryParseOutpoint(outpoint);
  if (parsed === undefined)
    throw fail("outpoint.invalid", `not an outpoint: ${String(outpoint)}`, { outpoint });
  return parsed;
}

/**
 * Its parts → `txid:vout`.
 * @throws GatewayError `outpoint.invalid` when the txid or vout is out of form
 */
export function formatOutpoint(outpoint: Outpoint): string {
  if (!isTxid(outpoint.txid) || !isVout(outpoint.vout))
    throw fail("outpoint.invalid", "not an outpoint", { txid: outpoint.txid, vout: outpoint.vout });
  return `${outpoint.txid}:${outpoint.vout}`;
}
