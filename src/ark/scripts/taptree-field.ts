/**
 * The Ark PSBT `taptree` field (unknown key 0xDE + "taptree") value: for each leaf, in tree
 * order, `depth(1) || leafVersion(1) || compactSize(len) || script`. Ark writes depth 1 for
 * every leaf (arkd and the TS SDK do; the real shape is recomputed from the leaf order).
 */
import { concatBytes, isBytes } from "./bytes.js";
import { scriptError } from "./errors.js";
import { TAP_LEAF_VERSION, compactSize } from "./taptree.js";

/**
 * Encodes leaf scripts as an Ark `taptree` PSBT field value.
 * @throws GatewayError `taptree.no_leaves`, `taptree.invalid_leaf`
 */
export function encodeTapTreeField(leaves: readonly Uint8Array[]): Uint8Array {
  if (!Array.isArray(leaves) || leaves.length === 0)
    throw scriptError("taptree.no_leaves", "no leaves to encode");
  return concatBytes(
    ...leaves.map((s, i) => {
      if (!isBytes(s) || s.length === 0)
        throw scriptError("taptree.invalid_leaf", `leaf ${i} is empty`, { index: i });
      return concatBytes(Uint8Array.of(1, TAP_LEAF_VERSION), compactSize(s.length), s);
    }),
  );
}

/**
 * Decodes an Ark `taptree` field value into its leaf scripts (depth ignored, version must be 0xc0).
 * @throws GatewayError `taptree.invalid_field`
 */
export function decodeTapTreeField(field: Uint8Array): Uint8Array[] {
  if (!isBytes(field) || field.length === 0)
    throw scriptError("taptree.invalid_field", "taptree field is empty");
  const leaves: Uint8Array[] = [];
  let i = 0;
  const bad = (why: string): never => {
    throw scriptError("taptree.invalid_field", `taptree field: ${why} at byte ${i}`, { offset: i });
  };
  while (i < field.length) {
    if (i + 3 > field.length) bad("truncated leaf header");
    if (field[i + 1] !== TAP_LEAF_VERSION) bad("unsupported leaf version");
    i += 2;
    let len = field[i] ?? 0;
    i += 1;
    if (len === 0xfd) {
      if (i + 2 > field.length) bad("truncated length");
      len = (field[i] ?? 0) | ((field[i + 1] ?? 0) << 8);
      if (len < 0xfd) bad("non-canonical length");
      i += 2;
    } else if (len > 0xfd) bad("length too large");
    if (len === 0 || i + len > field.length) bad("truncated script");
    leaves.push(field.slice(i, i + len));
    i += len;
  }
  return leaves;
}
