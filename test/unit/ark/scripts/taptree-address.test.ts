/**
 * Tree shape against btcd's algorithm written out by hand per leaf count, with hashing and
 * tweaking done by @scure/btc-signer (an independent implementation), plus address rules.
 */
import { bech32, bech32m, hex } from "@scure/base";
import { taprootTweakPubkey, tagSchnorr } from "@scure/btc-signer/utils.js";
import { describe, expect, it } from "vitest";
import {
  NUMS_INTERNAL_KEY,
  buildTapTree,
  buildVhtlc,
  decodeArkAddress,
  encodeArkAddress,
  encodeMultisig,
  h160FromPaymentHash,
  h160FromPreimage,
} from "../../../../src/ark/scripts/index.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { expectCode } from "./helpers.js";
import { PARAMS, SERVER, key } from "./fixtures-local.js";

type Shape = number | readonly [Shape, Shape];

/** btcd AssembleTaprootScriptTree shapes, derived by hand from its algorithm. */
const SHAPES: Record<number, Shape> = {
  1: 0,
  2: [0, 1],
  3: [[0, 1], 2],
  4: [
    [0, 1],
    [2, 3],
  ],
  5: [
    [0, 1],
    [[2, 3], 4],
  ],
  6: [
    [4, 5],
    [
      [0, 1],
      [2, 3],
    ],
  ],
  7: [
    [[4, 5], 6],
    [
      [0, 1],
      [2, 3],
    ],
  ],
  // pairs 01 23 45 67, leaf 8 joins 67; then FIFO: (01,23) → (45,678) → root
  9: [
    [
      [0, 1],
      [2, 3],
    ],
    [
      [4, 5],
      [[6, 7], 8],
    ],
  ],
};

const cmp = (a: Uint8Array, b: Uint8Array): number => {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};
const leafHash = (s: Uint8Array) => tagSchnorr("TapLeaf", Uint8Array.of(0xc0, s.length), s);
const branch = (a: Uint8Array, b: Uint8Array) =>
  cmp(a, b) <= 0 ? tagSchnorr("TapBranch", a, b) : tagSchnorr("TapBranch", b, a);

function rootOf(shape: Shape, leaves: readonly Uint8Array[]): Uint8Array {
  if (typeof shape === "number") return leafHash(leaves[shape] ?? new Uint8Array());
  return branch(rootOf(shape[0], leaves), rootOf(shape[1], leaves));
}

describe("tap tree", () => {
  const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => encodeMultisig([key(i + 10)]));

  it.each(Object.entries(SHAPES))(
    "%s leaves: btcd's shape, output key and verifiable control blocks",
    (n, shape) => {
      const leaves = leavesOf(Number(n));
      const tree = buildTapTree(leaves);
      expect(hex.encode(tree.root)).toBe(hex.encode(rootOf(shape, leaves)));
      const [outputKey, parity] = taprootTweakPubkey(NUMS_INTERNAL_KEY, tree.root);
      expect(hex.encode(tree.outputKey)).toBe(hex.encode(outputKey));
      expect(tree.parity).toBe(parity);
      expect(hex.encode(tree.pkScript)).toBe(`5120${hex.encode(outputKey)}`);
      leaves.forEach((leaf, i) => {
        // BIP-341 script-path verification of the control block
        const cb = tree.controlBlock(i);
        expect(cb[0]).toBe(0xc0 | parity);
        expect(hex.encode(cb.slice(1, 33))).toBe(hex.encode(NUMS_INTERNAL_KEY));
        expect((cb.length - 33) % 32).toBe(0);
        let k = leafHash(leaf);
        for (let j = 33; j < cb.length; j += 32) k = branch(k, cb.slice(j, j + 32));
        expect(hex.encode(k), `leaf ${i}`).toBe(hex.encode(tree.root));
        expect(hex.encode(tree.leafHash(i))).toBe(hex.encode(leafHash(leaf)));
        expect(tree.indexOf(leaf)).toBe(i);
      });
    },
  );

  it("a VHTLC's control blocks are 2 or 3 hashes deep as btcd's 6-leaf shape says", () => {
    const v = buildVhtlc(PARAMS);
    expect(v.leaves.map((l) => (v.controlBlock(l).length - 33) / 32)).toEqual([3, 3, 3, 3, 2, 2]);
    expect(v.leafIndex("unilateralRefund")).toBe(4);
    expect(hex.encode(v.controlBlock(v.refund))).toBe(hex.encode(v.tree.controlBlock(1)));
  });

  it("returns copies: mutating an answer does not change the tree", () => {
    const tree = buildTapTree(leavesOf(3));
    const cb = tree.controlBlock(0);
    cb.fill(0);
    tree.leafHash(0).fill(0);
    expect(tree.controlBlock(0)).not.toEqual(cb);
  });
});

describe("h160 helpers", () => {
  it("hash160 of the preimage equals ripemd160 of the payment hash", () => {
    const preimage = new Uint8Array(32).fill(42);
    expect(hex.encode(h160FromPreimage(preimage))).toBe(hex.encode(ripemd160(sha256(preimage))));
    expect(hex.encode(h160FromPaymentHash(sha256(preimage)))).toBe(hex.encode(h160FromPreimage(preimage)));
  });
});

describe("ark address", () => {
  const outputKey = buildVhtlc(PARAMS).outputKey;

  it("uses ark on bitcoin and tark elsewhere, and round-trips", () => {
    for (const [network, hrp] of [
      ["bitcoin", "ark"],
      ["testnet", "tark"],
      ["signet", "tark"],
      ["mutinynet", "tark"],
      ["regtest", "tark"],
    ] as const) {
      const a = encodeArkAddress({ network, serverKey: SERVER, vtxoOutputKey: outputKey });
      expect(a.startsWith(`${hrp}1`)).toBe(true);
      const d = decodeArkAddress(a, network);
      expect(d.hrp).toBe(hrp);
      expect(d.version).toBe(0);
      expect(hex.encode(d.serverKey)).toBe(hex.encode(SERVER));
      expect(hex.encode(d.vtxoOutputKey)).toBe(hex.encode(outputKey));
      expect(bech32m.fromWords(bech32m.decode(a as `${string}1${string}`, 1023).words)).toHaveLength(65);
    }
  });

  it("refuses bech32 (not bech32m), upper/lower mixes and a 33-byte output key", () => {
    const a = encodeArkAddress({ network: "regtest", serverKey: SERVER, vtxoOutputKey: outputKey });
    const words = bech32m.decode(a as `${string}1${string}`, 1023).words;
    expectCode(() => decodeArkAddress(bech32.encode("tark", words, 1023)), "address.invalid_encoding");
    expectCode(
      () => decodeArkAddress(a.slice(0, 10).toUpperCase() + a.slice(10)),
      "address.invalid_encoding",
    );
    expectCode(
      () =>
        encodeArkAddress({
          network: "regtest",
          serverKey: SERVER,
          vtxoOutputKey: Uint8Array.of(2, ...outputKey),
        }),
      "address.invalid_key",
    );
  });
});
