/**
 * Taproot script trees shaped exactly like btcd's `txscript.AssembleTaprootScriptTree`, which
 * arkd uses to derive every VTXO output key (so the shape decides the address):
 * 1. pair the leaves left to right into branches;
 * 2. an odd last leaf joins the last branch built: branch(lastBranch, leaf);
 * 3. merge branches first-in-first-out: take the first two, append their parent at the end,
 *    until one remains (the root).
 * Branch hashes sort their two children (BIP-341); the internal key is the BIP-341 NUMS point.
 */
import { schnorr } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { compareBytes, concatBytes, equalBytes, isBytes, toHex } from "./bytes.js";
import { scriptError } from "./errors.js";
import { mulBaseAdd } from "./fixed-base.js";

/** BIP-342 tapscript leaf version. */
export const TAP_LEAF_VERSION = 0xc0;
/** x-only NUMS point H (BIP-341), compressed form 02 50929b74...803ac0; no known discrete log. */
export const NUMS_INTERNAL_KEY: Uint8Array = hex.decode(
  "50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0",
);
/** Tapscripts above this size are not spendable (max standard witness element aside). */
const MAX_LEAF_SCRIPT_BYTES = 10_000;

export interface TapTree {
  /** Leaf scripts in the order given (the order fixes the shape). */
  readonly leaves: readonly Uint8Array[];
  /** x-only internal key (the NUMS point). */
  readonly internalKey: Uint8Array;
  /** Merkle root (32 bytes). */
  readonly root: Uint8Array;
  /** x-only tweaked output key (32 bytes). */
  readonly outputKey: Uint8Array;
  /** Parity of the output key's y coordinate (1 = odd). */
  readonly parity: 0 | 1;
  /** `OP_1 <outputKey>` (34 bytes). */
  readonly pkScript: Uint8Array;
  /** TapLeaf hash of the leaf at `index`. @throws `taptree.leaf_index_out_of_range` */
  leafHash(index: number): Uint8Array;
  /** Sibling hashes from the leaf up to the root. @throws `taptree.leaf_index_out_of_range` */
  merkleProof(index: number): readonly Uint8Array[];
  /** BIP-341 control block: `(0xc0 | parity) || internalKey || proof`. @throws `taptree.leaf_index_out_of_range` */
  controlBlock(index: number): Uint8Array;
  /** Index of a leaf script. @throws `taptree.unknown_leaf` */
  indexOf(script: Uint8Array): number;
}

type Sha256State = ReturnType<typeof sha256.create>;
/** SHA-256 states that have absorbed sha256(tag) || sha256(tag) (one 64-byte block), per tag. */
const tagStates = new Map<string, Sha256State>();
const TAG_STATE_LIMIT = 64;

function tagState(tag: string): Sha256State {
  let state = tagStates.get(tag);
  if (state === undefined) {
    const t = sha256(new TextEncoder().encode(tag));
    state = sha256.create().update(t).update(t);
    // the taproot tags are all this module uses; stay bounded if callers pass arbitrary tags
    if (tagStates.size < TAG_STATE_LIMIT) tagStates.set(tag, state);
  }
  return state;
}

/** BIP-340 tagged hash: sha256(sha256(tag) || sha256(tag) || msg...). */
export function taggedHash(tag: string, ...msgs: readonly Uint8Array[]): Uint8Array {
  const h = tagState(tag).clone();
  for (const m of msgs) h.update(m);
  return h.digest();
}

/**
 * TapLeaf hash of a script with leaf version 0xc0.
 * @throws GatewayError `taptree.invalid_leaf` for an empty, non-bytes or oversized script
 */
export function tapLeafHash(script: Uint8Array): Uint8Array {
  assertLeaf(script, 0);
  return leafHashOf(script);
}

/** TapLeaf hash of an already checked leaf script. */
function leafHashOf(script: Uint8Array): Uint8Array {
  return taggedHash("TapLeaf", Uint8Array.of(TAP_LEAF_VERSION), compactSize(script.length), script);
}

/** TapBranch hash of two child hashes, smaller first. */
export function tapBranchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareBytes(a, b) <= 0 ? taggedHash("TapBranch", a, b) : taggedHash("TapBranch", b, a);
}

/**
 * Tweaks an x-only internal key with a merkle root (BIP-341 `taproot_tweak_pubkey`).
 * @returns the x-only output key and its y parity
 * @throws GatewayError `taptree.invalid_tweak` if the key is not on the curve or the tweak overflows
 */
export function tweakXOnlyKey(
  internalKey: Uint8Array,
  root: Uint8Array,
): { outputKey: Uint8Array; parity: 0 | 1 } {
  if (!isBytes(internalKey) || internalKey.length !== 32 || !isBytes(root) || root.length !== 32) {
    throw scriptError("taptree.invalid_tweak", "internal key and root must be 32 bytes each");
  }
  const tweak = taggedHash("TapTweak", internalKey, root);
  if (bytesToNumberBE(tweak) >= schnorr.Point.Fn.ORDER) {
    throw scriptError("taptree.invalid_tweak", "tweak is not below the curve order");
  }
  const p = liftInternalKey(internalKey);
  // t and P are public: variable-time fixed-base t·G + P, one inversion to affine
  const q = mulBaseAdd(tweak, p.x, p.y);
  if (q === undefined) throw scriptError("taptree.invalid_tweak", "tweaked key is infinity");
  return { outputKey: numberToBytesBE(q.x, 32), parity: (q.y & 1n) === 1n ? 1 : 0 };
}

/** The NUMS point lifted once (affine): every Ark tree uses it as its internal key. */
let numsPoint: { x: bigint; y: bigint } | undefined;

function liftInternalKey(internalKey: Uint8Array): { x: bigint; y: bigint } {
  const nums = equalBytes(internalKey, NUMS_INTERNAL_KEY);
  if (nums && numsPoint !== undefined) return numsPoint;
  let p: { x: bigint; y: bigint };
  try {
    p = schnorr.utils.lift_x(bytesToNumberBE(internalKey)).toAffine();
  } catch (cause) {
    throw scriptError("taptree.invalid_tweak", "internal key is not on the curve", undefined, cause);
  }
  if (nums) numsPoint = p;
  return p;
}

/**
 * Builds the tap tree of `leaves` with btcd's shape over the NUMS internal key.
 * @param leaves one or more distinct, non-empty leaf scripts (leaf version 0xc0)
 * @throws GatewayError `taptree.no_leaves`, `taptree.invalid_leaf`, `taptree.duplicate_leaf`
 */
export function buildTapTree(leaves: readonly Uint8Array[]): TapTree {
  if (!Array.isArray(leaves) || leaves.length === 0) {
    throw scriptError("taptree.no_leaves", "a tap tree needs at least one leaf");
  }
  leaves.forEach((l, i) => assertLeaf(l, i));
  const scripts = leaves.map((l) => Uint8Array.from(l));
  const hashes = scripts.map((s) => leafHashOf(s));
  const seen = new Map<string, number>();
  hashes.forEach((h, i) => {
    const id = toHex(h);
    const prev = seen.get(id);
    if (prev !== undefined) {
      throw scriptError("taptree.duplicate_leaf", `leaves ${prev} and ${i} are the same script`, {
        indexes: [prev, i],
      });
    }
    seen.set(id, i);
  });
  const { root, proofs } = assemble(hashes);
  const { outputKey, parity } = tweakXOnlyKey(NUMS_INTERNAL_KEY, root);
  const pkScript = concatBytes(Uint8Array.of(0x51, 0x20), outputKey);
  const at = (index: number): number => {
    if (!Number.isInteger(index) || index < 0 || index >= scripts.length) {
      throw scriptError(
        "taptree.leaf_index_out_of_range",
        `leaf index ${index} not in 0..${scripts.length - 1}`,
      );
    }
    return index;
  };
  return Object.freeze({
    leaves: Object.freeze(scripts.map((s) => s.slice())),
    internalKey: NUMS_INTERNAL_KEY.slice(),
    root,
    outputKey,
    parity,
    pkScript,
    leafHash: (index: number) => (hashes[at(index)] ?? new Uint8Array()).slice(),
    merkleProof: (index: number) => (proofs[at(index)] ?? []).map((h) => h.slice()),
    controlBlock: (index: number) =>
      concatBytes(Uint8Array.of(TAP_LEAF_VERSION | parity), NUMS_INTERNAL_KEY, ...(proofs[at(index)] ?? [])),
    indexOf: (script: Uint8Array) => {
      const i = isBytes(script) ? scripts.findIndex((s) => equalBytes(s, script)) : -1;
      if (i < 0) throw scriptError("taptree.unknown_leaf", "script is not a leaf of this tree");
      return i;
    },
  });
}

interface Node {
  readonly hash: Uint8Array;
  /** Indexes of the leaves under this node, whose proofs grow when the node gets a sibling. */
  readonly leaves: readonly number[];
}

function assemble(hashes: readonly Uint8Array[]): { root: Uint8Array; proofs: Uint8Array[][] } {
  const proofs: Uint8Array[][] = hashes.map(() => []);
  const leaf = (i: number): Node => ({ hash: hashes[i] ?? new Uint8Array(), leaves: [i] });
  if (hashes.length === 1) return { root: leaf(0).hash, proofs };
  const join = (l: Node, r: Node): Node => {
    for (const i of l.leaves) proofs[i]?.push(r.hash);
    for (const i of r.leaves) proofs[i]?.push(l.hash);
    return { hash: tapBranchHash(l.hash, r.hash), leaves: [...l.leaves, ...r.leaves] };
  };
  const branches: Node[] = [];
  for (let i = 0; i < hashes.length; i += 2) {
    const last = branches[branches.length - 1];
    if (i === hashes.length - 1 && last !== undefined) branches[branches.length - 1] = join(last, leaf(i));
    else branches.push(join(leaf(i), leaf(i + 1)));
  }
  while (branches.length > 1) {
    const l = branches.shift();
    const r = branches.shift();
    if (l === undefined || r === undefined) break;
    branches.push(join(l, r));
  }
  return { root: branches[0]?.hash ?? new Uint8Array(), proofs };
}

function assertLeaf(script: unknown, index: number): asserts script is Uint8Array {
  if (!isBytes(script) || script.length === 0 || script.length > MAX_LEAF_SCRIPT_BYTES) {
    throw scriptError(
      "taptree.invalid_leaf",
      `leaf ${index} must be a non-empty script of at most 10,000 bytes`,
      {
        index,
      },
    );
  }
}

/** Bitcoin CompactSize encoding of a length. */
export function compactSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
}
