/**
 * secp256k1 key checks without a square root (pure): whether an x coordinate lifts to a curve
 * point is a Jacobi symbol, several times cheaper than the point decompression (a modular
 * square root) a full parse does. Used where a key is only checked, not used for arithmetic:
 * the wallets' claim/refund keys at the API and in the swap core, the closures' keys.
 */
import { hexToBytes } from "@noble/hashes/utils.js";
import { toHex } from "./bytes.js";
import { isCompressedPubkeyHex } from "./hex.js";

/** secp256k1 field prime p = 2^256 - 2^32 - 977. */
const FIELD_P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

/** Big-endian bytes (a multiple of 4 long) to bigint, without a hex round trip. */
function bytesToBigint(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = 0; i < b.length; i += 4) {
    const word =
      (((b[i] ?? 0) << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0;
    n = (n << 32n) | BigInt(word);
  }
  return n;
}

/**
 * Jacobi symbol (a/n) for odd n > 0 (binary algorithm, trailing zeros removed a word at a time).
 * For the prime p it is the Legendre symbol: 1 for a non-zero square, -1 for a non-square.
 */
function jacobi(a: bigint, n: bigint): number {
  let t = 1;
  a %= n;
  while (a !== 0n) {
    const low = Number(a & 0xffffffffn);
    if (low === 0) {
      a >>= 32n; // (2/n)^32 = 1
      continue;
    }
    const zeros = 31 - Math.clz32(low & -low);
    if (zeros !== 0) {
      a >>= BigInt(zeros);
      const r = Number(n & 7n);
      if ((zeros & 1) === 1 && (r === 3 || r === 5)) t = -t;
    }
    const swap = a;
    a = n;
    n = swap;
    if ((Number(a & 3n) & Number(n & 3n) & 3) === 3) t = -t;
    a %= n;
  }
  return n === 1n ? t : 0;
}

/**
 * Keys that passed the curve check recently (the server's and the gateway's keys repeat across
 * swaps). Only valid keys are stored; bounded, least recently used evicted first.
 */
const VALID_KEY_CACHE_SIZE = 32;
const validKeyCache = new Map<string, true>();

/**
 * True when `x` is the x coordinate of a secp256k1 point (BIP-340 lift_x succeeds):
 * 0 < x < p and x³ + 7 is a square mod p. The square test is a Jacobi symbol (no square root;
 * secp256k1 has no point with y = 0, so x³ + 7 is never 0 mod p for a curve x).
 */
export function isValidXOnly(x: Uint8Array): boolean {
  if (x.length !== 32) return false;
  const id = toHex(x);
  if (validKeyCache.has(id)) {
    // refresh recency
    validKeyCache.delete(id);
    validKeyCache.set(id, true);
    return true;
  }
  const n = bytesToBigint(x);
  if (n === 0n || n >= FIELD_P) return false;
  if (jacobi((((n * n) % FIELD_P) * n + 7n) % FIELD_P, FIELD_P) !== 1) return false;
  if (validKeyCache.size >= VALID_KEY_CACHE_SIZE) {
    const oldest = validKeyCache.keys().next();
    if (oldest.done !== true) validKeyCache.delete(oldest.value);
  }
  validKeyCache.set(id, true);
  return true;
}

/**
 * Whether `value` is the hex (either case) of a 33-byte compressed secp256k1 public key on the
 * curve: a 02/03 prefix and an x that lifts (both parities of y exist for such an x).
 */
export function isValidCompressedPubkeyHex(value: unknown): value is string {
  return isCompressedPubkeyHex(value) && isValidXOnly(hexToBytes(value.slice(2).toLowerCase()));
}
