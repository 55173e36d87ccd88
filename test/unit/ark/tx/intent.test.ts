/**
 * Intent proofs against @arkade-os/sdk's Intent.create (same toSign PSBT bytes for the same
 * inputs and message), message encoding as arkd's Go json.Marshal, and signing with SIGHASH_ALL.
 */
import { ConditionWitness, Intent, VtxoTaprootTree } from "@arkade-os/sdk";
import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { SigHash } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import {
  buildIntentProof,
  encodeIntentMessage,
  intentMessageHash,
  intentProofFee,
  parsePsbt,
  signIntentProof,
  verifyTapscriptSignatures,
  type IntentInput,
  type IntentMessage,
} from "../../../../src/ark/tx/index.js";
import { prng, randomKey, randomLeaf, sdkTree, testSeed, type Rng } from "./helpers.js";

const SEED = testSeed();

function randomMessage(rng: Rng): IntentMessage {
  const t = rng.pick(["register", "estimate-intent-fee", "delete", "get-pending-tx", "get-intent"] as const);
  if (t === "register" || t === "estimate-intent-fee") {
    return {
      type: t,
      onchainOutputIndexes: rng.bool() ? [] : [rng.int(0, 3)],
      validAt: rng.bool() ? 0 : rng.int(1, 2_000_000_000),
      expireAt: rng.bool() ? 0 : rng.int(1, 2_000_000_000),
      cosignersPublicKeys: Array.from(
        { length: rng.int(0, 2) },
        () => "02" + hex.encode(randomKey(rng).xOnly),
      ),
    };
  }
  return { type: t, expireAt: rng.int(0, 2_000_000_000) };
}

function sdkMessage(m: IntentMessage): Parameters<typeof Intent.encodeMessage>[0] | string {
  switch (m.type) {
    case "register":
      return {
        type: "register",
        onchain_output_indexes: [...m.onchainOutputIndexes],
        valid_at: m.validAt,
        expire_at: m.expireAt,
        cosigners_public_keys: [...m.cosignersPublicKeys],
      };
    case "delete":
    case "get-pending-tx":
      return { type: m.type, expire_at: m.expireAt } as Parameters<typeof Intent.encodeMessage>[0];
    default:
      // the SDK has no encoder for these: give it our string (checked against Go's order below)
      return encodeIntentMessage(m);
  }
}

describe(`intent proofs vs @arkade-os/sdk (seed ${SEED})`, () => {
  it("encodes messages in Go json.Marshal field order", () => {
    expect(
      encodeIntentMessage({
        type: "register",
        onchainOutputIndexes: [1],
        validAt: 0,
        expireAt: 5,
        cosignersPublicKeys: ["02" + "ab".repeat(32)],
      }),
    ).toBe(
      `{"type":"register","onchain_output_indexes":[1],"valid_at":0,"expire_at":5,"cosigners_public_keys":["02${"ab".repeat(32)}"]}`,
    );
    expect(encodeIntentMessage({ type: "get-pending-tx", expireAt: 0 })).toBe(
      `{"type":"get-pending-tx","expire_at":0}`,
    );
    expect(
      encodeIntentMessage({
        type: "estimate-intent-fee",
        onchainOutputIndexes: [],
        validAt: 1,
        expireAt: 2,
        cosignersPublicKeys: [],
      }),
    ).toBe(
      `{"type":"estimate-intent-fee","onchain_output_indexes":[],"valid_at":1,"expire_at":2,"cosigners_public_keys":[]}`,
    );
  });

  it("tags the message hash with ark-intent-proof-message", () => {
    expect(hex.encode(intentMessageHash("hello"))).toBe(
      hex.encode(schnorr.utils.taggedHash("ark-intent-proof-message", new TextEncoder().encode("hello"))),
    );
  });

  it("builds the same toSign PSBT as Intent.create for 200 random input sets and messages", () => {
    const rng = prng(SEED);
    for (let n = 0; n < 200; n++) {
      const server = randomKey(rng).xOnly;
      const message = randomMessage(rng);
      const ours: IntentInput[] = [];
      const sdkInputs: Parameters<typeof Intent.create>[1] = [];
      for (let i = 0, k = rng.int(1, 3); i < k; i++) {
        const owner = randomKey(rng).xOnly;
        const preimage = rng.bytes(32);
        const kind = rng.pick(["multisig", "condition"] as const);
        const leaf = randomLeaf(rng, kind, server, [owner], preimage);
        const other = randomLeaf(rng, "cltv-blocks", server, [owner], preimage);
        const leaves = rng.bool() ? [leaf, other] : [other, leaf];
        const tree = sdkTree(leaves, leaf);
        const txid = hex.encode(rng.bytes(32));
        const vout = rng.int(0, 3);
        const amount = BigInt(rng.int(1, 1_000_000));
        ours.push({
          txid,
          vout,
          amountSats: amount,
          leafScript: leaf,
          controlBlock: tree.controlBlock,
          tapTree: leaves,
          ...(kind === "condition" ? { condition: [preimage] } : {}),
        });
        const unknown = [VtxoTaprootTree.encode(tree.encoded)];
        if (kind === "condition") unknown.push(ConditionWitness.encode([preimage]));
        sdkInputs.push({
          txid: hex.decode(txid),
          index: vout,
          witnessUtxo: { amount, script: tree.pkScript },
          tapLeafScript: [tree.tapLeafScript],
          unknown,
        });
      }
      const outputs = rng.bool()
        ? []
        : [
            {
              amountSats: BigInt(rng.int(1, 500)),
              pkScript: Uint8Array.of(0x51, 0x20, ...randomKey(rng).xOnly),
            },
          ];
      const built = buildIntentProof({ message, inputs: ours, outputs });
      const sdk = Intent.create(
        sdkMessage(message) as never,
        sdkInputs,
        outputs.map((o) => ({ amount: o.amountSats, script: o.pkScript })),
      );
      const ctx = `case ${n} seed ${SEED}`;
      expect(built.message, ctx).toBe(
        typeof sdkMessage(message) === "string"
          ? sdkMessage(message)
          : Intent.encodeMessage(sdkMessage(message) as never),
      );
      expect(built.proof.id, ctx).toBe(sdk.id);
      expect(hex.encode(built.proof.toPSBT()), ctx).toBe(hex.encode(sdk.toPSBT()));
    }
  });

  it("signs every input with SIGHASH_ALL, including the toSpend input", () => {
    const rng = prng(SEED + 7);
    const server = randomKey(rng).xOnly;
    const owner = randomKey(rng);
    const leaf = randomLeaf(rng, "multisig", server, [owner.xOnly], rng.bytes(32));
    const tree = sdkTree([leaf], leaf);
    const input = {
      txid: hex.encode(rng.bytes(32)),
      vout: 1,
      amountSats: 5000n,
      leafScript: leaf,
      controlBlock: tree.controlBlock,
      tapTree: [leaf],
    };
    const { proof } = buildIntentProof({
      message: { type: "get-pending-tx", expireAt: 0 },
      inputs: [input, { ...input, vout: 2 }],
    });
    expect(signIntentProof(proof, owner.priv)).toEqual([0, 1, 2]);
    const reparsed = parsePsbt(proof.toPSBT());
    for (let i = 0; i < 3; i++) {
      expect(reparsed.getInput(i).sighashType).toBe(SigHash.ALL);
      expect(
        verifyTapscriptSignatures(reparsed, i, {
          allowedSighashTypes: [SigHash.ALL],
          requiredSigners: [owner.xOnly],
        }),
      ).toEqual([hex.encode(owner.xOnly)]);
    }
    expect(reparsed.getInput(0).witnessUtxo?.amount).toBe(0n);
    expect(intentProofFee(proof)).toBe(10_000n);
  });

  it("uses the leaf's lock for nSequence/nLockTime and can embed the message under global key 0x09", () => {
    const rng = prng(SEED + 8);
    const server = randomKey(rng).xOnly;
    const owner = randomKey(rng).xOnly;
    const cltvLeaf = randomLeaf(rng, "cltv-blocks", server, [owner], rng.bytes(32));
    const tree = sdkTree([cltvLeaf], cltvLeaf);
    const { proof, message } = buildIntentProof({
      message: { type: "delete", expireAt: 0 },
      inputs: [
        {
          txid: "11".repeat(32),
          vout: 0,
          amountSats: 1000n,
          leafScript: cltvLeaf,
          controlBlock: tree.controlBlock,
          tapTree: [cltvLeaf],
        },
      ],
      embedMessage: true,
    });
    expect(proof.getInput(1).sequence).toBe(0xfffffffe);
    expect(proof.getInput(0).sequence).toBe(0xfffffffe);
    expect(proof.lockTime).toBeGreaterThan(0);
    const psbt = hex.encode(proof.toPSBT());
    expect(psbt).toContain(
      "0109" + message.length.toString(16).padStart(2, "0") + hex.encode(new TextEncoder().encode(message)),
    );
  });
});
