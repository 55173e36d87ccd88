/** The three VHTLC spends and preimage extraction, including interop with @arkade-os/sdk. */
import {
  ConditionWitness,
  CSVMultisigTapscript,
  Transaction as SdkTransaction,
  VHTLC,
  buildOffchainTx,
  getArkPsbtFields,
  setArkPsbtField,
} from "@arkade-os/sdk";
import { hex, base64 } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  buildVhtlcClaim,
  buildVhtlcCooperativeRefund,
  buildVhtlcRefundWithoutReceiver,
  extractPreimage,
  getCondition,
  getTaptree,
  psbtBase64,
} from "../../../../src/ark/tx/index.js";
import { hash160 } from "./helpers.js";
import { vhtlcFixture } from "./vhtlc-fixture.js";

const code = (c: string) => expect.objectContaining({ code: c });

describe("VHTLC claim", () => {
  it("spends the claim leaf with condition=[preimage] on the ark-tx and checkpoint inputs", () => {
    const f = vhtlcFixture();
    const { arkTx, checkpoints } = buildVhtlcClaim({ ...f.common, preimage: f.preimage });
    const cp = checkpoints[0]!;
    for (const tx of [arkTx, cp]) {
      expect(getCondition(tx, 0)?.map(hex.encode)).toEqual([hex.encode(f.preimage)]);
      const [, script] = tx.getInput(0).tapLeafScript![0]!;
      expect(hex.encode(script.subarray(0, -1))).toBe(hex.encode(f.vhtlc.claim));
      expect(tx.getInput(0).sequence).toBe(0xffffffff);
      expect(tx.lockTime).toBe(0);
    }
    expect(hex.encode(cp.getInput(0).witnessUtxo!.script)).toBe(hex.encode(f.vhtlc.pkScript));
    expect(getTaptree(cp, 0)?.map(hex.encode)).toEqual(f.vhtlc.leaves.map(hex.encode));
    expect(getTaptree(arkTx, 0)?.map(hex.encode)).toEqual([hex.encode(f.cp), hex.encode(f.vhtlc.claim)]);
    expect(arkTx.getInput(0).txid).toEqual(hex.decode(cp.id));
    // the SDK reads the preimage from ours
    const sdkTx = SdkTransaction.fromPSBT(arkTx.toPSBT());
    expect(getArkPsbtFields(sdkTx, 0, ConditionWitness)[0]?.map(hex.encode)).toEqual([
      hex.encode(f.preimage),
    ]);
    expect(hex.encode(extractPreimage(psbtBase64(arkTx), { hash: { sha256: f.paymentHash } }))).toBe(
      hex.encode(f.preimage),
    );
  });

  it("refuses a preimage that does not match the VHTLC", () => {
    const f = vhtlcFixture(2);
    expect(() => buildVhtlcClaim({ ...f.common, preimage: new Uint8Array(32) })).toThrowError(
      code("arktx.preimage_mismatch"),
    );
    expect(() => buildVhtlcClaim({ ...f.common, preimage: new Uint8Array(31) })).toThrowError(
      code("arktx.invalid_preimage"),
    );
  });
});

describe("preimage extraction", () => {
  it("reads the preimage from a claim the SDK built (object, PSBT bytes and base64)", () => {
    const f = vhtlcFixture(5);
    const s = new VHTLC.Script({
      sender: f.sender.xOnly,
      receiver: f.receiver.xOnly,
      server: f.server.xOnly,
      preimageHash: hash160(f.preimage),
      refundLocktime: 800_000n,
      unilateralClaimDelay: { type: "blocks", value: 100n },
      unilateralRefundDelay: { type: "blocks", value: 102n },
      unilateralRefundWithoutReceiverDelay: { type: "blocks", value: 103n },
    });
    const built = buildOffchainTx(
      [{ txid: f.vtxo.txid, vout: 0, value: 50_000, tapLeafScript: s.claim(), tapTree: s.encode() }],
      [{ amount: 50_000n, script: f.dest.pkScript }],
      CSVMultisigTapscript.decode(f.cp),
    );
    setArkPsbtField(built.arkTx, 0, ConditionWitness, [f.preimage]);
    for (const form of [built.arkTx, built.arkTx.toPSBT(), base64.encode(built.arkTx.toPSBT())]) {
      expect(
        hex.encode(extractPreimage(form, { hash: { sha256: f.paymentHash, hash160: hash160(f.preimage) } })),
      ).toBe(hex.encode(f.preimage));
    }
    expect(() => extractPreimage(built.arkTx, { hash: { sha256: new Uint8Array(32) } })).toThrowError(
      code("arktx.preimage_mismatch"),
    );
    expect(() => extractPreimage(built.checkpoints[0]!)).toThrowError(code("arktx.preimage_not_found"));
    expect(() => extractPreimage(built.arkTx, { inputIndex: 3 })).toThrowError(
      code("arktx.input_out_of_range"),
    );
    expect(() => extractPreimage("not a psbt")).toThrowError(code("arktx.invalid_psbt"));
  });
});

describe("VHTLC refundWithoutReceiver", () => {
  it("uses the CLTV leaf: nLockTime = refund locktime, nSequence 0xfffffffe", () => {
    const f = vhtlcFixture(7, 812_345n);
    const { arkTx, checkpoints } = buildVhtlcRefundWithoutReceiver({
      ...f.common,
      currentLocktime: 812_345n,
    });
    for (const tx of [arkTx, checkpoints[0]!]) {
      expect(tx.lockTime).toBe(812_345);
      expect(tx.getInput(0).sequence).toBe(0xfffffffe);
      expect(getCondition(tx, 0)).toBeUndefined();
    }
  });

  it("refuses before the locktime and across units", () => {
    const f = vhtlcFixture(8, 812_345n);
    expect(() => buildVhtlcRefundWithoutReceiver({ ...f.common, currentLocktime: 812_344n })).toThrowError(
      code("arktx.locktime_not_reached"),
    );
    expect(() =>
      buildVhtlcRefundWithoutReceiver({ ...f.common, currentLocktime: 1_700_000_000n }),
    ).toThrowError(code("arktx.locktime_not_reached"));
    expect(buildVhtlcRefundWithoutReceiver(f.common).arkTx.lockTime).toBe(812_345);
  });
});

describe("VHTLC cooperative refund", () => {
  it("uses the 3-of-3 refund leaf without locks", () => {
    const f = vhtlcFixture(9);
    const { arkTx, checkpoints } = buildVhtlcCooperativeRefund(f.common);
    const [, script] = arkTx.getInput(0).tapLeafScript![0]!;
    expect(hex.encode(script.subarray(0, -1))).toBe(hex.encode(f.vhtlc.refund));
    expect(checkpoints[0]!.lockTime).toBe(0);
    expect(arkTx.outputsLength).toBe(2);
  });
});
