/** Onchain VHTLC spends (unilateral leaves), unroll finalization and reading a preimage from a witness. */
import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import {
  buildVhtlcClaim,
  psbtBase64,
  signTapscriptInput,
  tapscriptSighash,
} from "../../../../src/ark/tx/index.js";
import { buildVhtlcUnilateralSpend, preimageFromWitness } from "../../../../src/ark/tx/index.js";
import { finalizeVirtualTx, unrollOrder } from "../../../../src/ark/tx/index.js";
import { vhtlcFixture } from "./vhtlc-fixture.js";

const code = (c: string) => expect.objectContaining({ code: c });
const DEST = Uint8Array.of(0x51, 0x20, ...new Uint8Array(32).fill(7));
const OUTPOINT = { txid: "ab".repeat(32), vout: 1 };

function parsed(rawHex: string): Transaction {
  return Transaction.fromRaw(hex.decode(rawHex), { allowUnknownOutputs: true, disableScriptCheck: true });
}

/** The BIP-341 script-path sighash of input 0 for `leaf`, recomputed on an unsigned copy. */
function sighashOf(raw: Transaction, leaf: Uint8Array, cb: Uint8Array, amount: bigint, pkScript: Uint8Array) {
  const tx = new Transaction({ version: raw.version, allowUnknownOutputs: true });
  const input = raw.getInput(0);
  tx.addInput({
    txid: input.txid!,
    index: input.index!,
    sequence: input.sequence!,
    witnessUtxo: { script: pkScript, amount },
    tapLeafScript: [
      [
        { version: cb[0]! & 0xfe, internalKey: cb.subarray(1, 33), merklePath: chunks(cb.subarray(33)) },
        Uint8Array.of(...leaf, 0xc0),
      ],
    ],
  });
  const out = raw.getOutput(0);
  tx.addOutput({ script: out.script!, amount: out.amount! });
  return tapscriptSighash(tx, 0, leaf);
}
const chunks = (b: Uint8Array) =>
  Array.from({ length: b.length / 32 }, (_, i) => b.subarray(32 * i, 32 * i + 32));

describe("unilateral onchain spends of a VHTLC output", () => {
  it("unilateralClaim: [sig, preimage, script, control block], nSequence = the claim delay, fee from the output", () => {
    const f = vhtlcFixture();
    const spend = buildVhtlcUnilateralSpend({
      vhtlc: f.vhtlc,
      leaf: "unilateralClaim",
      outpoint: OUTPOINT,
      amountSats: 50_000n,
      destinationScript: DEST,
      feeSats: 700n,
      key: f.receiver.priv,
      preimage: f.preimage,
    });
    const tx = parsed(spend.hex);
    expect(tx.id).toBe(spend.txid);
    expect(spend.outputSats).toBe(49_300n);
    expect(tx.getOutput(0).amount).toBe(49_300n);
    expect(tx.version).toBe(2);
    expect(tx.getInput(0).sequence).toBe(100);
    const w = tx.getInput(0).finalScriptWitness!;
    expect(w.map(hex.encode)).toEqual([
      hex.encode(w[0]!),
      hex.encode(f.preimage),
      hex.encode(f.vhtlc.unilateralClaim),
      hex.encode(f.vhtlc.controlBlock(f.vhtlc.unilateralClaim)),
    ]);
    const msg = sighashOf(tx, f.vhtlc.unilateralClaim, w[3]!, 50_000n, f.vhtlc.pkScript);
    expect(schnorr.verify(w[0]!, msg, f.receiver.xOnly)).toBe(true);
    expect(hex.encode(preimageFromWitness({ rawTx: spend.hex }, OUTPOINT, f.paymentHash)!)).toBe(
      hex.encode(f.preimage),
    );
  });

  it("unilateralRefundWithoutReceiver: [sig, script, control block] by the sender, reveals no preimage", () => {
    const f = vhtlcFixture();
    const spend = buildVhtlcUnilateralSpend({
      vhtlc: f.vhtlc,
      leaf: "unilateralRefundWithoutReceiver",
      outpoint: OUTPOINT,
      amountSats: 50_000n,
      destinationScript: DEST,
      feeSats: 500n,
      key: f.sender.priv,
    });
    const tx = parsed(spend.hex);
    expect(tx.getInput(0).sequence).toBe(103);
    const w = tx.getInput(0).finalScriptWitness!;
    expect(w).toHaveLength(3);
    const leaf = f.vhtlc.unilateralRefundWithoutReceiver;
    expect(schnorr.verify(w[0]!, sighashOf(tx, leaf, w[2]!, 50_000n, f.vhtlc.pkScript), f.sender.xOnly)).toBe(
      true,
    );
    expect(preimageFromWitness({ rawTx: spend.hex }, OUTPOINT, f.paymentHash)).toBeUndefined();
  });

  it("refuses a wrong preimage, a key not in the leaf and a fee that leaves dust", () => {
    const f = vhtlcFixture();
    const base = {
      vhtlc: f.vhtlc,
      outpoint: OUTPOINT,
      amountSats: 50_000n,
      destinationScript: DEST,
      feeSats: 500n,
    } as const;
    expect(() =>
      buildVhtlcUnilateralSpend({
        ...base,
        leaf: "unilateralClaim",
        key: f.receiver.priv,
        preimage: new Uint8Array(32),
      }),
    ).toThrow(code("arktx.preimage_mismatch"));
    expect(() =>
      buildVhtlcUnilateralSpend({
        ...base,
        leaf: "unilateralClaim",
        key: f.sender.priv,
        preimage: f.preimage,
      }),
    ).toThrow(code("arktx.key_not_in_leaf"));
    expect(() =>
      buildVhtlcUnilateralSpend({
        ...base,
        leaf: "unilateralRefundWithoutReceiver",
        key: f.sender.priv,
        feeSats: 49_800n,
      }),
    ).toThrow(code("arktx.output_below_dust"));
  });

  it("preimageFromWitness ignores inputs spending other outpoints", () => {
    const f = vhtlcFixture();
    const spend = buildVhtlcUnilateralSpend({
      vhtlc: f.vhtlc,
      leaf: "unilateralClaim",
      outpoint: OUTPOINT,
      amountSats: 50_000n,
      destinationScript: DEST,
      feeSats: 500n,
      key: f.receiver.priv,
      preimage: f.preimage,
    });
    expect(
      preimageFromWitness({ rawTx: spend.hex }, { ...OUTPOINT, vout: 0 }, f.paymentHash),
    ).toBeUndefined();
    expect(preimageFromWitness({ rawTx: spend.hex }, OUTPOINT, new Uint8Array(32))).toBeUndefined();
  });
});

describe("unroll: presigned virtual txs made broadcastable", () => {
  it("orders the chain parents first and leaves the commitment tx out", () => {
    const chain = [
      { txid: "a", kind: "ark" },
      { txid: "c", kind: "checkpoint" },
      { txid: "t2", kind: "tree" },
      { txid: "t1", kind: "tree" },
      { txid: "x", kind: "commitment" },
    ] as const;
    expect(unrollOrder(chain).map((c) => c.txid)).toEqual(["t1", "t2", "c", "a"]);
  });

  it("an offchain claim's checkpoint: [sig(server), sig(receiver), preimage, script, control block]", () => {
    const f = vhtlcFixture();
    const { checkpoints } = buildVhtlcClaim({ ...f.common, preimage: f.preimage });
    const cp = checkpoints[0]!;
    signTapscriptInput(cp, 0, f.receiver.priv);
    const onlyReceiver = psbtBase64(cp);
    signTapscriptInput(cp, 0, f.server.priv);
    const done = finalizeVirtualTx(psbtBase64(cp), "checkpoint", cp.id);
    expect(done.txid).toBe(cp.id);
    const w = parsed(done.hex).getInput(0).finalScriptWitness!;
    const sigs = new Map(cp.getInput(0).tapScriptSig!.map(([k, s]) => [hex.encode(k.pubKey), hex.encode(s)]));
    expect(w.map(hex.encode)).toEqual([
      sigs.get(hex.encode(f.server.xOnly)),
      sigs.get(hex.encode(f.receiver.xOnly)),
      hex.encode(f.preimage),
      hex.encode(f.vhtlc.claim),
      hex.encode(f.vhtlc.controlBlock(f.vhtlc.claim)),
    ]);
    // the same witness reveals the preimage to the chain watcher
    expect(preimageFromWitness({ rawTx: done.hex }, f.vtxo, f.paymentHash)).toEqual(f.preimage);
    expect(() => finalizeVirtualTx(onlyReceiver, "checkpoint", cp.id)).toThrow(
      code("arktx.missing_signature"),
    );
    expect(() => finalizeVirtualTx(psbtBase64(cp), "checkpoint", "00".repeat(32))).toThrow(
      code("arktx.tx_mismatch"),
    );
  });

  it("a tree tx: its key-path signature is the whole witness; without one it is refused", () => {
    const tx = new Transaction({ version: 3, allowUnknownOutputs: true });
    tx.addInput({ txid: "11".repeat(32), index: 0, witnessUtxo: { script: DEST, amount: 1_000n } });
    tx.addOutput({ script: DEST, amount: 1_000n });
    const unsigned = hex.encode(tx.toPSBT());
    expect(() => finalizeVirtualTx(hex.decode(unsigned), "tree", tx.id)).toThrow(
      code("arktx.missing_signature"),
    );
    const sig = new Uint8Array(64).fill(9);
    tx.updateInput(0, { tapKeySig: sig });
    const done = finalizeVirtualTx(tx.toPSBT(), "tree", tx.id);
    expect(parsed(done.hex).getInput(0).finalScriptWitness!.map(hex.encode)).toEqual([hex.encode(sig)]);
  });
});
