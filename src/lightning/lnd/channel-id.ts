/**
 * Short channel ids: LND's uint64 (as the decimal string our gRPC loader gives) and the standard
 * `block x tx x output` format the port's route hints use (BOLT7: 3 bytes block height, 3 bytes
 * transaction index, 2 bytes output index).
 */
import { lnError } from "../errors.js";

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const STANDARD = /^(0|[1-9][0-9]*)x(0|[1-9][0-9]*)x(0|[1-9][0-9]*)$/;
const MAX_U64 = (1n << 64n) - 1n;

/**
 * @param id LND's channel id, decimal uint64
 * @returns `block x tx x output`
 * @throws GatewayError `ln.unexpected_response` unless a decimal uint64
 */
export function channelFromNumber(id: unknown, field: string): string {
  if (typeof id !== "string" || !DECIMAL.test(id) || BigInt(id) > MAX_U64) {
    throw lnError("ln.unexpected_response", `LND returned a malformed channel id in ${field}`, { field });
  }
  const n = BigInt(id);
  return `${n >> 40n}x${(n >> 16n) & 0xffffffn}x${n & 0xffffn}`;
}

/**
 * @param channel `block x tx x output`
 * @returns LND's channel id, decimal uint64
 * @throws GatewayError `ln.invalid_argument` unless each part fits its BOLT7 width
 */
export function numberFromChannel(channel: string, field: string): string {
  const m = STANDARD.exec(channel);
  const [block, tx, out] = m === null ? [] : [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)];
  if (block === undefined || tx === undefined || out === undefined) {
    throw lnError("ln.invalid_argument", `${field}: expected a channel id as block x tx x output`, { field });
  }
  if (block > 0xffffffn || tx > 0xffffffn || out > 0xffffn) {
    throw lnError("ln.invalid_argument", `${field}: channel id part out of range`, { field });
  }
  return ((block << 40n) | (tx << 16n) | out).toString();
}
