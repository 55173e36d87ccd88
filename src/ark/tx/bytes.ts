/**
 * Small byte helpers shared by the tx module (internal; not re-exported by its index). The basic
 * ones are the scripts module's (one implementation each; tx already builds on scripts).
 */
import { concatBytes as concat, equalBytes, isBytes, toHex } from "../scripts/bytes.js";
import { compactSize } from "../scripts/taptree.js";

export { compactSize, concat, equalBytes, isBytes, toHex };

export const EMPTY = new Uint8Array(0);

/** Reads a CompactSize at `off`; returns [value, bytesRead] or undefined when truncated. */
export function readCompactSize(b: Uint8Array, off: number): [number, number] | undefined {
  const first = b[off];
  if (first === undefined) return undefined;
  if (first < 0xfd) return [first, 1];
  const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
  if (off + 1 + width > b.length) return undefined;
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + (b[off + 1 + i] as number);
  // non-canonical encodings are refused, as Bitcoin Core does
  const min = first === 0xfd ? 0xfd : first === 0xfe ? 0x10000 : 0x100000000;
  if (v < min || !Number.isSafeInteger(v)) return undefined;
  return [v, 1 + width];
}

/** `len(bytes) || bytes` */
export function varBytes(b: Uint8Array): Uint8Array {
  return concat(compactSize(b.length), b);
}
