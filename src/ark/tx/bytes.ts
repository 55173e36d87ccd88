/** Small byte helpers shared by the tx module (internal; not re-exported). */
import { hex } from "@scure/base";

export const EMPTY = new Uint8Array(0);

export function concat(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(b: Uint8Array): string {
  return hex.encode(b);
}

export function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

/** Bitcoin CompactSize encoding of `n` (n < 2^32). */
export function compactSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

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
