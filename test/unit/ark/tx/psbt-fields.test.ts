/** Ark PSBT fields: round trips, exact bytes, and interop with @arkade-os/sdk's coders. */
import {
  ConditionWitness,
  Transaction as SdkTransaction,
  VtxoTaprootTree,
  getArkPsbtFields,
  setArkPsbtField,
  TapTreeCoder,
} from "@arkade-os/sdk";
import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  decodeConditionField,
  decodeTaptreeField,
  encodeConditionField,
  encodeTaptreeField,
  getCondition,
  getTaptree,
  newArkTransaction,
  parsePsbt,
  setCondition,
  setTaptree,
} from "../../../../src/ark/tx/index.js";
import { prng, randomKey, testSeed } from "./helpers.js";

const SEED = testSeed();

function txWithInput() {
  const tx = newArkTransaction(3, 0);
  tx.addInput({
    txid: "22".repeat(32),
    index: 1,
    witnessUtxo: { script: Uint8Array.of(0x51, 0x20, ...randomKey(prng(1)).xOnly), amount: 1000n },
  });
  tx.addOutput({ script: Uint8Array.of(0x51, 0x02, 0x4e, 0x73), amount: 0n });
  return tx;
}

describe("taptree field", () => {
  it("encodes depth 1, leaf version 0xc0, compactSize length, script", () => {
    expect(hex.encode(encodeTaptreeField([Uint8Array.of(0xaa, 0xbb), Uint8Array.of(0x51)]))).toBe(
      "01c002aabb01c00151",
    );
    const long = new Uint8Array(300).fill(7);
    expect(hex.encode(encodeTaptreeField([long]).subarray(0, 5))).toBe("01c0fd2c01");
  });

  it("round-trips and equals the SDK's TapTreeCoder for random leaf sets", () => {
    const rng = prng(SEED);
    for (let n = 0; n < 200; n++) {
      const leaves = Array.from({ length: rng.int(1, 8) }, () =>
        rng.bytes(rng.int(1, rng.bool() ? 80 : 400)),
      );
      const enc = encodeTaptreeField(leaves);
      expect(decodeTaptreeField(enc).map(hex.encode)).toEqual(leaves.map(hex.encode));
      const sdk = TapTreeCoder.encode(leaves.map((script) => ({ depth: 1, version: 0xc0, script })));
      expect(hex.encode(enc)).toBe(hex.encode(sdk));
    }
  });

  it("refuses truncated or foreign encodings", () => {
    for (const bad of ["", "01", "01c0", "01c005aabb", "01c100", "01c10151", "01c0fd0100"]) {
      expect(() => decodeTaptreeField(hex.decode(bad)), bad).toThrowError(
        expect.objectContaining({ code: "arktx.invalid_taptree_field" }),
      );
    }
    expect(() => encodeTaptreeField([])).toThrowError(
      expect.objectContaining({ code: "arktx.invalid_taptree_field" }),
    );
    expect(() => encodeTaptreeField([new Uint8Array(0)])).toThrowError(
      expect.objectContaining({ code: "arktx.invalid_taptree_field" }),
    );
  });
});

describe("condition field", () => {
  it("is witness-encoded: count then (len, item)*", () => {
    const pre = new Uint8Array(32).fill(9);
    expect(hex.encode(encodeConditionField([pre]))).toBe("0120" + "09".repeat(32));
    expect(hex.encode(encodeConditionField([]))).toBe("00");
    expect(hex.encode(encodeConditionField([Uint8Array.of(1), new Uint8Array(0)]))).toBe("02010100");
  });

  it("round-trips random stacks", () => {
    const rng = prng(SEED + 1);
    for (let n = 0; n < 200; n++) {
      const items = Array.from({ length: rng.int(0, 5) }, () => rng.bytes(rng.int(0, 300)));
      expect(decodeConditionField(encodeConditionField(items)).map(hex.encode)).toEqual(
        items.map(hex.encode),
      );
    }
  });

  it("refuses truncation and trailing bytes", () => {
    for (const bad of ["", "01", "0102aa", "0001", "0120aa"]) {
      expect(() => decodeConditionField(hex.decode(bad)), bad).toThrowError(
        expect.objectContaining({ code: "arktx.invalid_condition_field" }),
      );
    }
  });
});

describe("fields on a transaction input", () => {
  it("set/get, replace, survive a PSBT round trip, and the SDK decodes ours", () => {
    const tx = txWithInput();
    const leaves = [Uint8Array.of(0x51), Uint8Array.of(0x52, 0x53)];
    const pre = new Uint8Array(32).fill(3);
    setTaptree(tx, 0, leaves);
    setCondition(tx, 0, [new Uint8Array(32).fill(1)]);
    setCondition(tx, 0, [pre]); // replaces
    const back = parsePsbt(tx.toPSBT());
    expect(getTaptree(back, 0)?.map(hex.encode)).toEqual(leaves.map(hex.encode));
    expect(getCondition(back, 0)?.map(hex.encode)).toEqual([hex.encode(pre)]);
    expect(back.getInput(0).unknown).toHaveLength(2);

    const sdkTx = SdkTransaction.fromPSBT(tx.toPSBT());
    expect(getArkPsbtFields(sdkTx, 0, ConditionWitness).map((w: Uint8Array[]) => w.map(hex.encode))).toEqual([
      [hex.encode(pre)],
    ]);
    const sdkTree = getArkPsbtFields(sdkTx, 0, VtxoTaprootTree)[0];
    expect(sdkTree && hex.encode(sdkTree)).toBe(hex.encode(encodeTaptreeField(leaves)));
  });

  it("reads fields the SDK wrote", () => {
    const sdkTx = new SdkTransaction({ version: 3 });
    sdkTx.addInput({
      txid: "33".repeat(32),
      index: 0,
      witnessUtxo: { script: Uint8Array.of(0x51, 0x20, ...randomKey(prng(2)).xOnly), amount: 5n },
    });
    const pre = new Uint8Array(32).fill(5);
    setArkPsbtField(sdkTx, 0, ConditionWitness, [pre]);
    const ours = parsePsbt(sdkTx.toPSBT());
    expect(getCondition(ours, 0)?.map(hex.encode)).toEqual([hex.encode(pre)]);
    expect(getTaptree(ours, 0)).toBeUndefined();
  });
});
