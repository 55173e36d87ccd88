/** Test helpers for src/ark/tx: a seeded PRNG, keys and SDK-encoded closures. */
import { schnorr } from "@noble/curves/secp256k1.js";
import {
  CLTVMultisigTapscript,
  ConditionMultisigTapscript,
  CSVMultisigTapscript,
  MultisigTapscript,
  VtxoScript,
} from "@arkade-os/sdk";
import { hex } from "@scure/base";
import { TaprootControlBlock } from "@scure/btc-signer";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";

/** Seed from ARKTX_SEED or a fixed default, so failures reproduce. */
export function testSeed(): number {
  const env = process.env["ARKTX_SEED"];
  return env === undefined ? 0x5eed_a7c : Number(env);
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    bool: (): boolean => next() < 0.5,
    bytes: (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}
export type Rng = ReturnType<typeof prng>;

export interface KeyPair {
  readonly priv: Uint8Array;
  readonly xOnly: Uint8Array;
}

export function randomKey(rng: Rng): KeyPair {
  for (;;) {
    const priv = rng.bytes(32);
    try {
      return { priv, xOnly: schnorr.getPublicKey(priv) };
    } catch {
      // out of range: draw again
    }
  }
}

export function keyFrom(byte: number): KeyPair {
  const priv = new Uint8Array(32);
  priv[31] = byte;
  return { priv, xOnly: schnorr.getPublicKey(priv) };
}

export const hash160 = (b: Uint8Array): Uint8Array => ripemd160(sha256(b));

/** arkd's checkpoint exit closure: `<delay> CSV DROP <server> CHECKSIG`. */
export function checkpointTapscript(server: Uint8Array, blocks = 10n): Uint8Array {
  return CSVMultisigTapscript.encode({ timelock: { type: "blocks", value: blocks }, pubkeys: [server] })
    .script;
}

export type LeafKind = "multisig" | "cltv-blocks" | "cltv-seconds" | "condition";

/** A collaborative leaf (always with the server key) of the given kind, encoded by the SDK. */
export function randomLeaf(
  rng: Rng,
  kind: LeafKind,
  server: Uint8Array,
  owners: readonly Uint8Array[],
  preimage: Uint8Array,
): Uint8Array {
  const pubkeys = [...owners, server];
  switch (kind) {
    case "multisig":
      return MultisigTapscript.encode({ pubkeys }).script;
    case "cltv-blocks":
      return CLTVMultisigTapscript.encode({ absoluteTimelock: BigInt(rng.int(1, 499_999_999)), pubkeys })
        .script;
    case "cltv-seconds":
      return CLTVMultisigTapscript.encode({
        absoluteTimelock: BigInt(rng.int(500_000_000, 0xffffffff)),
        pubkeys,
      }).script;
    case "condition": {
      const conditionScript = Uint8Array.of(0xa9, 0x14, ...hash160(preimage), 0x87);
      return ConditionMultisigTapscript.encode({ conditionScript, pubkeys }).script;
    }
  }
}

/** A tap tree built by the SDK (its shape), with the spending leaf's control block. */
export function sdkTree(leaves: Uint8Array[], spend: Uint8Array) {
  const vs = new VtxoScript(leaves);
  const tls = vs.findLeaf(hex.encode(spend));
  return {
    vs,
    tapLeafScript: tls,
    controlBlock: TaprootControlBlock.encode(tls[0]),
    pkScript: vs.pkScript,
    encoded: vs.encode(),
  };
}
