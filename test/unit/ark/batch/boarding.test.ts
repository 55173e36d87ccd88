import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  checkOnchainOutputs,
  estimateJoinFeeIntent,
  registerJoinIntent,
  signBoardingInputs,
} from "../../../../src/ark/batch/index.js";
import type { ArkServerInfo } from "../../../../src/ark/server-info.js";
import {
  newArkTransaction,
  parsePsbt,
  psbtBase64,
  verifyTapscriptSignatures,
} from "../../../../src/ark/tx/index.js";
import { boardingInput, buildBoardingScript, createKeyRing } from "../../../../src/ark/wallet/index.js";
import { key } from "./tree-fixture.js";

const SEED = hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const server = key();
const INFO = {
  signerPubkey: hex.encode(server.pub),
  unilateralExitDelay: 20n,
  boardingExitDelay: 30n,
  network: "regtest",
} as unknown as ArkServerInfo;
const keys = createKeyRing(SEED);
const boarding = buildBoardingScript(keys.walletKey.xOnly, INFO);
const BOARD_TXID = "cd".repeat(32);
const input = boardingInput(boarding, `${BOARD_TXID}:1`, 50_000n);
const OTHER = new Uint8Array(34).fill(0x51);

/** A commitment tx as arkd sends it: every input with its witness UTXO, no leaf on ours yet. */
function commitment(boardAmount = 50_000n): string {
  const tx = newArkTransaction(2, 0);
  tx.addInput({ txid: "ef".repeat(32), index: 0, witnessUtxo: { script: OTHER, amount: 1_000_000n } });
  tx.addInput({
    txid: BOARD_TXID,
    index: 1,
    witnessUtxo: { script: boarding.script.pkScript, amount: boardAmount },
  });
  tx.addOutput({ script: OTHER, amount: 1_040_000n });
  return psbtBase64(tx);
}

describe("boarding inputs of the commitment tx", () => {
  it("signs our boarding input through the collaborative leaf, SIGHASH_DEFAULT, and nothing else", () => {
    const signed = parsePsbt(signBoardingInputs(commitment(), [input], keys.walletKey.signer));
    expect(verifyTapscriptSignatures(signed, 1)).toEqual([hex.encode(keys.walletKey.xOnly)]);
    const leaf = signed.getInput(1).tapLeafScript?.[0];
    expect(hex.encode(leaf?.[1].subarray(0, -1) ?? new Uint8Array())).toBe(
      hex.encode(boarding.script.forfeitLeaf),
    );
    expect(signed.getInput(0).tapScriptSig).toBeUndefined();
    // the unsigned tx is unchanged: same txid as arkd's
    expect(signed.id).toBe(parsePsbt(commitment()).id);
  });

  it("refuses a commitment tx without our input, or with another prevout amount", () => {
    const missing = boardingInput(boarding, `${"aa".repeat(32)}:0`, 50_000n);
    expect(() => signBoardingInputs(commitment(), [missing], keys.walletKey.signer)).toThrow(
      expect.objectContaining({ code: "batch.protocol_violation" }),
    );
    expect(() => signBoardingInputs(commitment(49_999n), [input], keys.walletKey.signer)).toThrow(
      expect.objectContaining({ code: "batch.protocol_violation" }),
    );
  });
});

describe("onchain outputs of a join", () => {
  const dest = new Uint8Array(22).fill(0x14);
  dest[0] = 0x00;

  it("the register intent flags onchain outputs by index and lists every output in order", () => {
    const walletOut = { script: boarding.script.pkScript, amountSats: 30_000n, onchain: false };
    const intent = registerJoinIntent({
      inputs: { vtxos: [], notes: [], boarding: [input] },
      outputs: [{ script: dest, amountSats: 20_000n, onchain: true }, walletOut],
      cosignerPublicKey: hex.encode(server.pub),
      signer: keys.walletKey.signer,
    });
    const message = JSON.parse(intent.message) as Record<string, unknown>;
    expect(message).toMatchObject({ type: "register", onchain_output_indexes: [0] });
    const proof = parsePsbt(intent.proof);
    expect(proof.outputsLength).toBe(2);
    expect(proof.getOutput(0)).toMatchObject({ amount: 20_000n });
    expect(hex.encode(proof.getOutput(1).script ?? new Uint8Array())).toBe(boarding.script.pkScriptHex);
    // the boarding input is input 1 of the proof, spent with sequence 0xffffffff (no CSV path)
    expect(proof.getInput(1).sequence).toBe(0xffffffff);
    const estimate = estimateJoinFeeIntent({
      inputs: { vtxos: [], notes: [], boarding: [input] },
      outputs: [walletOut],
      cosignerPublicKey: hex.encode(server.pub),
      signer: keys.walletKey.signer,
    });
    expect(JSON.parse(estimate.message)).toMatchObject({
      type: "estimate-intent-fee",
      onchain_output_indexes: [],
    });
  });

  it("checkOnchainOutputs finds each wanted output once, with its exact amount", () => {
    const tx = newArkTransaction(2, 0);
    tx.addOutput({ script: OTHER, amount: 1_000n });
    tx.addOutput({ script: dest, amount: 20_000n });
    expect(() => checkOnchainOutputs(tx, [{ script: dest, amountSats: 20_000n }])).not.toThrow();
    expect(() => checkOnchainOutputs(tx, [{ script: dest, amountSats: 19_999n }])).toThrow(
      expect.objectContaining({ code: "batch.output_missing" }),
    );
    expect(() =>
      checkOnchainOutputs(tx, [
        { script: dest, amountSats: 20_000n },
        { script: dest, amountSats: 20_000n },
      ]),
    ).toThrow(expect.objectContaining({ code: "batch.output_missing" }));
  });
});
