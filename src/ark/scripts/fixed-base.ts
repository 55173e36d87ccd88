/**
 * `t·G + A` on secp256k1 for a public scalar t (the taproot tweak) and an affine point A (the
 * internal key), in affine form: the one elliptic-curve operation of deriving an output key.
 *
 * Fixed-base comb: t is read as 32 bytes (base-256 digits), and a table holds d·256^j·G in
 * affine coordinates for every window j (0..31) and digit d (1..255), so the product is at most
 * 32 mixed Jacobian+affine additions starting from A, then one inversion. Variable time: only
 * for scalars that are no private key: taproot tweaks (public) and BIP32 child tweaks IL
 * (src/ark/wallet/keys.ts: IL gives a child's private key only together with the parent's
 * private key, which never leaves the process; the private keys themselves are multiplied by
 * noble). The table (8,160 points) is built on first use, in tens of milliseconds.
 */
import { schnorr } from "@noble/curves/secp256k1.js";

const Fp = schnorr.Point.Fp;
const P = Fp.ORDER;
const WINDOWS = 32;
const DIGITS = 255;

/** A point in Jacobian coordinates (x/z², y/z³); z = 0 is the point at infinity. */
type Jacobian = readonly [x: bigint, y: bigint, z: bigint];
const INFINITY: Jacobian = [0n, 1n, 0n];

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

/** 2·Q (dbl-2009-l, a = 0). */
function double([x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return INFINITY;
  const a = (x * x) % P;
  const b = (y * y) % P;
  const c = (b * b) % P;
  const d = (4n * x * b) % P;
  const e = (3n * a) % P;
  const x3 = mod(e * e - 2n * d);
  const y3 = mod(e * (d - x3) - 8n * c);
  return [x3, y3, (2n * y * z) % P];
}

/** Q + (x2, y2) for an affine (x2, y2), handling Q = ±(x2, y2) and Q = infinity. */
function addAffine(q: Jacobian, x2: bigint, y2: bigint): Jacobian {
  const [x1, y1, z1] = q;
  if (z1 === 0n) return [x2, y2, 1n];
  const z1z1 = (z1 * z1) % P;
  const u2 = (x2 * z1z1) % P;
  const s2 = (((y2 * z1) % P) * z1z1) % P;
  const h = mod(u2 - x1);
  const r = mod(s2 - y1);
  if (h === 0n) return r === 0n ? double(q) : INFINITY;
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (x1 * hh) % P;
  const x3 = mod(r * r - hhh - 2n * v);
  const y3 = mod(r * (v - x3) - y1 * hhh);
  return [x3, y3, (z1 * h) % P];
}

/** Affine forms of non-infinity Jacobian points with one inversion (Montgomery's trick). */
function toAffineBatch(points: readonly Jacobian[]): { x: bigint; y: bigint }[] {
  const prefix: bigint[] = [];
  let acc = 1n;
  for (const [, , z] of points) {
    prefix.push(acc);
    acc = (acc * z) % P;
  }
  let inv = Fp.inv(acc);
  const out = new Array<{ x: bigint; y: bigint }>(points.length);
  for (let i = points.length - 1; i >= 0; i--) {
    const [x, y, z] = points[i] ?? INFINITY;
    const zInv = (inv * (prefix[i] ?? 1n)) % P;
    inv = (inv * z) % P;
    const zInv2 = (zInv * zInv) % P;
    out[i] = { x: (x * zInv2) % P, y: (((y * zInv2) % P) * zInv) % P };
  }
  return out;
}

/** x and y of d·256^j·G at index j·255 + d - 1. */
let tableX: bigint[] | undefined;
let tableY: bigint[] | undefined;

function buildTable(): { tx: bigint[]; ty: bigint[] } {
  const tx = new Array<bigint>(WINDOWS * DIGITS);
  const ty = new Array<bigint>(WINDOWS * DIGITS);
  let base = schnorr.Point.BASE.toAffine();
  for (let j = 0; j < WINDOWS; j++) {
    // 1·B .. 256·B for B = 256^j·G; the last one is the next window's base
    const multiples: Jacobian[] = [[base.x, base.y, 1n]];
    for (let d = 2; d <= DIGITS + 1; d++) {
      multiples.push(addAffine(multiples[multiples.length - 1] ?? INFINITY, base.x, base.y));
    }
    const affine = toAffineBatch(multiples);
    for (let d = 1; d <= DIGITS; d++) {
      const p = affine[d - 1];
      if (p === undefined) throw new Error("fixed-base table: missing point");
      tx[j * DIGITS + d - 1] = p.x;
      ty[j * DIGITS + d - 1] = p.y;
    }
    const next = affine[DIGITS];
    if (next === undefined) throw new Error("fixed-base table: missing point");
    base = next;
  }
  tableX = tx;
  tableY = ty;
  return { tx, ty };
}

/**
 * `t·G + A` in affine coordinates, or undefined when it is the point at infinity.
 * @param scalar t as 32 big-endian bytes (the caller checks t < n)
 * @param ax x of A (affine, on the curve)
 * @param ay y of A
 */
export function mulBaseAdd(scalar: Uint8Array, ax: bigint, ay: bigint): { x: bigint; y: bigint } | undefined {
  let tx = tableX;
  let ty = tableY;
  if (tx === undefined || ty === undefined) ({ tx, ty } = buildTable());
  let acc: Jacobian = [ax, ay, 1n];
  for (let j = 0; j < WINDOWS; j++) {
    const d = scalar[31 - j] ?? 0;
    if (d === 0) continue;
    const i = j * DIGITS + d - 1;
    acc = addAffine(acc, tx[i] ?? 0n, ty[i] ?? 0n);
  }
  const [x, y, z] = acc;
  if (z === 0n) return undefined;
  const zInv = Fp.inv(z);
  const zInv2 = (zInv * zInv) % P;
  return { x: (x * zInv2) % P, y: (((y * zInv2) % P) * zInv) % P };
}
