/**
 * Hashing and taproot primitives used by the tx module, tuned for throughput: tagged-hash
 * prefixes are absorbed once per tag and cloned, the NUMS internal point is lifted once, and
 * a signer caches its key pair so that a BIP340 signature costs a single base-point multiply.
 */
import { schnorr, secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { concat, varBytes } from "./bytes.js";

type Sha256 = ReturnType<typeof sha256.create>;

const Point = secp256k1.Point;
const N = Point.Fn.ORDER;
const tagStates = new Map<string, Sha256>();
const utf8 = new TextEncoder();

/** BIP340 tagged hash `sha256(sha256(tag) || sha256(tag) || m...)`. */
export function taggedHash(tag: string, ...messages: Uint8Array[]): Uint8Array {
  let state = tagStates.get(tag);
  if (state === undefined) {
    const t = sha256(utf8.encode(tag));
    state = sha256.create().update(t).update(t);
    tagStates.set(tag, state);
  }
  const h = state.clone();
  for (const m of messages) h.update(m);
  return h.digest();
}

export function hash160(b: Uint8Array): Uint8Array {
  return ripemd160(sha256(b));
}

export { sha256 };

export const TAPROOT_LEAF_VERSION = 0xc0;

/** BIP341 NUMS point H (x-only), the internal key of every Ark VTXO taproot. */
export const NUMS_XONLY = hex.decode("50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0");
let numsPoint: InstanceType<typeof Point> | undefined;

export function tapLeafHash(script: Uint8Array, version = TAPROOT_LEAF_VERSION): Uint8Array {
  return taggedHash("TapLeaf", Uint8Array.of(version), varBytes(script));
}

export function tapBranchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareBytes(a, b) <= 0 ? taggedHash("TapBranch", a, b) : taggedHash("TapBranch", b, a);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function liftX(x: Uint8Array): InstanceType<typeof Point> {
  return schnorr.utils.lift_x(bytesToNumberBE(x));
}

/**
 * Taproot output key of `internalKey` (x-only) committed to `merkleRoot`.
 * @returns the x-only output key and the parity of its y coordinate (0 even, 1 odd)
 * @throws Error when the internal key is not on the curve or the tweak overflows
 */
export function taprootOutputKey(
  internalKey: Uint8Array,
  merkleRoot: Uint8Array,
): { key: Uint8Array; parity: 0 | 1 } {
  const isNums = internalKey === NUMS_XONLY || equal32(internalKey, NUMS_XONLY);
  const p = isNums ? (numsPoint ??= liftX(NUMS_XONLY)) : liftX(internalKey);
  const t = bytesToNumberBE(taggedHash("TapTweak", internalKey, merkleRoot));
  if (t >= N) throw new Error("taproot tweak out of range");
  const q = p.add(Point.BASE.multiply(t)).toAffine();
  return { key: numberToBytesBE(q.x, 32), parity: (q.y & 1n) === 1n ? 1 : 0 };
}

function equal32(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== 32 || b.length !== 32) return false;
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `OP_1 <32-byte key>` */
export function p2trScript(xonly: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x51, 0x20), xonly);
}

/** A parsed BIP341 control block. */
export interface ControlBlock {
  /** First byte: leaf version | output key parity. */
  readonly version: number;
  readonly internalKey: Uint8Array;
  readonly merklePath: Uint8Array[];
}

/** Parses a control block; undefined when malformed (length, leaf version). */
export function parseControlBlock(cb: Uint8Array): ControlBlock | undefined {
  if (cb.length < 33 || (cb.length - 33) % 32 !== 0 || cb.length > 33 + 32 * 128) return undefined;
  const version = cb[0] as number;
  if ((version & 0xfe) !== TAPROOT_LEAF_VERSION) return undefined;
  const merklePath: Uint8Array[] = [];
  for (let off = 33; off < cb.length; off += 32) merklePath.push(cb.subarray(off, off + 32));
  return { version, internalKey: cb.subarray(1, 33), merklePath };
}

/**
 * A BIP340 signer holding its key pair, so every signature costs one base-point multiply
 * instead of two. Nonce derivation follows BIP340 exactly (aux-rand variant).
 */
export interface SchnorrSigner {
  /** 32-byte x-only public key. */
  readonly xOnlyPubkey: Uint8Array;
  /** Signs a 32-byte message; `auxRand` defaults to 32 fresh random bytes. */
  sign(msg: Uint8Array, auxRand?: Uint8Array): Uint8Array;
}

/**
 * @param privateKey 32-byte secret key, 0 < d < n
 * @throws Error when the key is out of range
 */
export function createSchnorrSigner(privateKey: Uint8Array): SchnorrSigner {
  if (privateKey.length !== 32) throw new Error("private key must be 32 bytes");
  const d0 = bytesToNumberBE(privateKey);
  if (d0 <= 0n || d0 >= N) throw new Error("private key out of range");
  const P = Point.BASE.multiply(d0).toAffine();
  const d = (P.y & 1n) === 0n ? d0 : N - d0;
  const px = numberToBytesBE(P.x, 32);
  const dBytes = numberToBytesBE(d, 32);
  return {
    xOnlyPubkey: px,
    sign(msg: Uint8Array, auxRand?: Uint8Array): Uint8Array {
      const aux = auxRand ?? crypto.getRandomValues(new Uint8Array(32));
      const auxHash = taggedHash("BIP0340/aux", aux);
      const t = new Uint8Array(32);
      for (let i = 0; i < 32; i++) t[i] = (dBytes[i] as number) ^ (auxHash[i] as number);
      const k0 = bytesToNumberBE(taggedHash("BIP0340/nonce", t, px, msg)) % N;
      if (k0 === 0n) throw new Error("schnorr nonce is zero");
      const R = Point.BASE.multiply(k0).toAffine();
      const k = (R.y & 1n) === 0n ? k0 : N - k0;
      const rx = numberToBytesBE(R.x, 32);
      const e = bytesToNumberBE(taggedHash("BIP0340/challenge", rx, px, msg)) % N;
      const s = (k + e * d) % N;
      const sig = new Uint8Array(64);
      sig.set(rx, 0);
      sig.set(numberToBytesBE(s, 32), 32);
      return sig;
    },
  };
}

/** Keys verified against often (arkd's signer) get a precomputed table after this many uses. */
const PRECOMPUTE_AFTER = 4;
const VERIFY_WINDOW = 8;
const MAX_LIFTED_KEYS = 256;
const liftedKeys = new Map<string, { readonly point: InstanceType<typeof Point>; uses: number }>();

/** lift_x of an x-only key, remembered (the sqrt is a third of a verification's cost). */
function liftedKey(xonly: Uint8Array): InstanceType<typeof Point> {
  const id = hex.encode(xonly);
  let known = liftedKeys.get(id);
  if (known === undefined) {
    known = { point: liftX(xonly), uses: 0 }; // throws when x is not on the curve
    if (liftedKeys.size >= MAX_LIFTED_KEYS) liftedKeys.clear();
    liftedKeys.set(id, known);
  }
  known.uses += 1;
  // a window table for P: P·k is then additions only (noble keeps it for this point object)
  if (known.uses === PRECOMPUTE_AFTER) known.point.precompute(VERIFY_WINDOW, false);
  return known.point;
}

/**
 * BIP340 verification, as noble's `schnorr.verify` (same checks: r in [1, p), s in [1, n), even
 * R.y, R.x = r, R not infinity), with the lifted key remembered and R = s·G − e·P computed as two
 * table multiplications once the key is a frequent one (arkd's signer key on every spend).
 */
export function verifySchnorr(sig: Uint8Array, msg: Uint8Array, xonly: Uint8Array): boolean {
  try {
    if (sig.length !== 64 || xonly.length !== 32) return false;
    const P = liftedKey(xonly);
    const rBytes = sig.subarray(0, 32);
    const r = bytesToNumberBE(rBytes);
    if (r === 0n || r >= Point.Fp.ORDER) return false;
    const s = bytesToNumberBE(sig.subarray(32, 64));
    if (s === 0n || s >= N) return false;
    // e = int(challenge(bytes(r) || bytes(P) || m)) mod n; bytes(P) is the x-only key itself
    const e = bytesToNumberBE(taggedHash("BIP0340/challenge", rBytes, xonly, msg)) % N;
    const sG = Point.BASE.multiplyUnsafe(s);
    const R = e === 0n ? sG : sG.add(P.multiplyUnsafe(N - e));
    if (R.is0()) return false;
    const { x, y } = R.toAffine();
    return (y & 1n) === 0n && x === r;
  } catch {
    return false;
  }
}
