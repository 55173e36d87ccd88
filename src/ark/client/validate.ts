import { arkError } from "./errors.js";
import type { IntentProof, PageRequest } from "./types.js";
import { isHex, isP2trScriptHex, isTxidHex } from "../../lib/hex.js";

/*
 * Argument checks run before any call, so a caller bug fails fast with `ark.invalid_request`
 * instead of a round trip and arkd's less specific message.
 */

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function bad(message: string, details: Record<string, unknown>): never {
  throw arkError("ark.invalid_request", message, details);
}

/** @throws GatewayError `ark.invalid_request` unless `value` is a 32-byte hex txid */
export function requireTxid(value: string, field: string): void {
  if (!isTxidHex(value)) bad(`${field} must be a 32-byte hex txid`, { field });
}

/** @throws GatewayError `ark.invalid_request` unless `value` is non-empty base64 (a PSBT) */
export function requireBase64(value: string, field: string): void {
  if (value.length === 0 || value.length % 4 !== 0 || !BASE64.test(value)) {
    bad(`${field} must be base64 (a PSBT)`, { field });
  }
}

/** @throws GatewayError `ark.invalid_request` unless the list is non-empty base64 strings */
export function requireBase64List(values: readonly string[], field: string): void {
  if (values.length === 0) bad(`${field} must not be empty`, { field });
  values.forEach((v, i) => requireBase64(v, `${field}[${i}]`));
}

/** @throws GatewayError `ark.invalid_request` unless every script is a P2TR scriptPubKey hex */
export function requireP2trScripts(scripts: readonly string[], field: string): void {
  if (scripts.length === 0) bad(`${field} must not be empty`, { field });
  scripts.forEach((s, i) => {
    if (!isP2trScriptHex(s))
      bad(`${field}[${i}] must be a P2TR scriptPubKey hex (5120...)`, {
        field,
        index: i,
      });
  });
}

/** @throws GatewayError `ark.invalid_request` unless `value` is even-length hex */
export function requireHex(value: string, field: string): void {
  if (!isHex(value)) bad(`${field} must be hex`, { field });
}

/** @throws GatewayError `ark.invalid_request` unless proof is base64 and message non-empty */
export function requireIntent(intent: IntentProof): void {
  requireBase64(intent.proof, "intent.proof");
  if (intent.message.trim() === "") bad("intent.message must not be empty", {});
}

/** @throws GatewayError `ark.invalid_request` unless `value` is a non-empty string */
export function requireNonEmpty(value: string, field: string): void {
  if (value.trim() === "") bad(`${field} must not be empty`, { field });
}

/** @throws GatewayError `ark.invalid_request` unless index ≥ 1 and 1 ≤ size ≤ 2^31-1 */
export function requirePage(page: PageRequest): void {
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 0x7fffffff;
  if (!ok(page.index) || !ok(page.size)) {
    bad("page index and size must be integers ≥ 1", { index: page.index, size: page.size });
  }
}
