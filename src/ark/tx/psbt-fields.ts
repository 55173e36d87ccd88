/**
 * Ark's PSBT input extensions: unknown fields with key type 0xDE followed by an ASCII name.
 * - `taptree`: every leaf of the VTXO's tap tree, each `depth(1) || 0xC0 || compactSize(len) || script`
 * - `condition`: extra witness items for a condition leaf, witness-encoded
 *   (`compactSize(count) || (compactSize(len) || item)*`), e.g. `[preimage]`
 */
import type { Transaction } from "@scure/btc-signer";
import { isGatewayError } from "../../domain/errors.js";
import { decodeTapTreeField, encodeTapTreeField } from "../scripts/index.js";
import { compactSize, concat, equalBytes, readCompactSize } from "./bytes.js";
import { arkTxError } from "./errors.js";

/** Key type of every Ark PSBT field. */
export const ARK_PSBT_KEY_TYPE = 0xde;
const enc = new TextEncoder();
export const TAPTREE_KEY = enc.encode("taptree");
export const CONDITION_KEY = enc.encode("condition");

type UnknownEntry = [{ type: number; key: Uint8Array }, Uint8Array];

/**
 * Encodes the `taptree` value for the given leaf scripts (in tap-tree order). One codec serves
 * the whole code base (src/ark/scripts, checked against the fixture vectors); here its errors
 * carry this module's code.
 * @throws GatewayError `arktx.invalid_taptree_field` for no leaves or an empty leaf
 */
export function encodeTaptreeField(leaves: readonly Uint8Array[]): Uint8Array {
  return asTaptreeError(() => encodeTapTreeField(leaves));
}

/**
 * Decodes a `taptree` value into its leaf scripts.
 * @throws GatewayError `arktx.invalid_taptree_field` on truncation, a leaf version other than 0xC0 or no leaves
 */
export function decodeTaptreeField(value: Uint8Array): Uint8Array[] {
  return asTaptreeError(() => decodeTapTreeField(value));
}

function asTaptreeError<T>(codec: () => T): T {
  try {
    return codec();
  } catch (err) {
    if (!isGatewayError(err)) throw err;
    throw arkTxError("arktx.invalid_taptree_field", err.message, undefined, err);
  }
}

/** Encodes a witness stack (`condition` value). */
export function encodeConditionField(items: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [compactSize(items.length)];
  for (const it of items) {
    if (!(it instanceof Uint8Array))
      throw arkTxError("arktx.invalid_condition_field", "condition items must be bytes");
    parts.push(compactSize(it.length), it);
  }
  return concat(...parts);
}

/**
 * Decodes a `condition` value into its witness items.
 * @throws GatewayError `arktx.invalid_condition_field` when truncated or with trailing bytes
 */
export function decodeConditionField(value: Uint8Array): Uint8Array[] {
  const fail = (m: string) => arkTxError("arktx.invalid_condition_field", m);
  const count = readCompactSize(value, 0);
  if (count === undefined) throw fail("condition count truncated");
  let off = count[1];
  const items: Uint8Array[] = [];
  for (let i = 0; i < count[0]; i++) {
    const len = readCompactSize(value, off);
    if (len === undefined) throw fail("condition item length truncated");
    const start = off + len[1];
    if (start + len[0] > value.length) throw fail("condition item truncated");
    items.push(value.slice(start, start + len[0]));
    off = start + len[0];
  }
  if (off !== value.length) throw fail("condition has trailing bytes");
  return items;
}

/** The unknown-field entry for an Ark field `name` (btc-signer's `unknown` shape). */
export function arkField(key: Uint8Array, value: Uint8Array): UnknownEntry {
  return [{ type: ARK_PSBT_KEY_TYPE, key }, value];
}

/** Raw value of the Ark field `key` on an input, if present. */
export function getArkField(tx: Transaction, inputIndex: number, key: Uint8Array): Uint8Array | undefined {
  const unknown = tx.getInput(inputIndex).unknown as UnknownEntry[] | undefined;
  if (unknown === undefined) return undefined;
  for (const [k, v] of unknown) {
    if (k.type === ARK_PSBT_KEY_TYPE && equalBytes(k.key, key)) return v;
  }
  return undefined;
}

/** Sets (replacing any previous value) the Ark field `key` on an input. */
export function setArkField(tx: Transaction, inputIndex: number, key: Uint8Array, value: Uint8Array): void {
  const current = (tx.getInput(inputIndex).unknown as UnknownEntry[] | undefined) ?? [];
  const kept = current.filter(([k]) => !(k.type === ARK_PSBT_KEY_TYPE && equalBytes(k.key, key)));
  // btc-signer merges unknown rows by key and refuses a changed value: clear, then write back.
  if (kept.length !== current.length) tx.updateInput(inputIndex, { unknown: undefined }, true);
  tx.updateInput(inputIndex, { unknown: [...kept, arkField(key, value)] }, true);
}

/** Writes the `taptree` field (all leaves of the spent VTXO) on an input. */
export function setTaptree(tx: Transaction, inputIndex: number, leaves: readonly Uint8Array[]): void {
  setArkField(tx, inputIndex, TAPTREE_KEY, encodeTaptreeField(leaves));
}

/** Leaves of the input's `taptree` field, or undefined when absent. */
export function getTaptree(tx: Transaction, inputIndex: number): Uint8Array[] | undefined {
  const v = getArkField(tx, inputIndex, TAPTREE_KEY);
  return v === undefined ? undefined : decodeTaptreeField(v);
}

/** Writes the `condition` field (extra witness items, e.g. `[preimage]`) on an input. */
export function setCondition(tx: Transaction, inputIndex: number, items: readonly Uint8Array[]): void {
  setArkField(tx, inputIndex, CONDITION_KEY, encodeConditionField(items));
}

/** Items of the input's `condition` field, or undefined when absent. */
export function getCondition(tx: Transaction, inputIndex: number): Uint8Array[] | undefined {
  const v = getArkField(tx, inputIndex, CONDITION_KEY);
  return v === undefined ? undefined : decodeConditionField(v);
}
