/** Schnorr signing of tapscript inputs, verification (ours and the SDK's), tampering, merging. */
import {
  SingleKey,
  Transaction as SdkTransaction,
  verifyTapscriptSignatures as sdkVerify,
} from "@arkade-os/sdk";
import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { SigHash } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import {
  buildVhtlcClaim,
  buildVhtlcCooperativeRefund,
  cosignVhtlcCooperativeRefund,
  createSchnorrSigner,
  addTapscriptSignatures,
  mergeTapscriptSignatures,
  parsePsbt,
  signTapscriptInput,
  signTapscriptInputs,
  tapscriptSighash,
  verifyTapscriptSignatures,
} from "../../../../src/ark/tx/index.js";
import { prng, randomKey, testSeed } from "./helpers.js";
import { vhtlcFixture } from "./vhtlc-fixture.js";

const SEED = testSeed();
const code = (c: string) => expect.objectContaining({ code: c });

describe("BIP340 signer", () => {
  it("gives noble's signature for the same key, message and aux randomness", () => {
    const rng = prng(SEED);
    for (let n = 0; n < 100; n++) {
      const { priv, xOnly } = randomKey(rng);
      const msg = rng.bytes(32);
      const aux = rng.bytes(32);
      const signer = createSchnorrSigner(priv);
      expect(hex.encode(signer.xOnlyPubkey)).toBe(hex.encode(xOnly));
      expect(hex.encode(signer.sign(msg, aux))).toBe(hex.encode(schnorr.sign(msg, priv, aux)));
      expect(schnorr.verify(signer.sign(msg), msg, xOnly)).toBe(true);
    }
  });

  it("refuses out-of-range keys", () => {
    expect(() => createSchnorrSigner(new Uint8Array(32))).toThrow();
    expect(() => createSchnorrSigner(new Uint8Array(31).fill(1))).toThrow();
    expect(() => createSchnorrSigner(new Uint8Array(32).fill(0xff))).toThrow();
  });
});

describe("tapscript signatures", () => {
  it("sign → verify (ours and the SDK's); tamper → fails", () => {
    const f = vhtlcFixture();
    const { arkTx, checkpoints } = buildVhtlcClaim({ ...f.common, preimage: f.preimage });
    signTapscriptInput(arkTx, 0, f.receiver.priv);
    expect(verifyTapscriptSignatures(arkTx, 0, { requiredSigners: [f.receiver.xOnly] })).toEqual([
      hex.encode(f.receiver.xOnly),
    ]);
    expect(() =>
      verifyTapscriptSignatures(arkTx, 0, { requiredSigners: [f.receiver.xOnly, f.server.xOnly] }),
    ).toThrowError(code("arktx.missing_signature"));
    // the SDK accepts our signature
    sdkVerify(SdkTransaction.fromPSBT(arkTx.toPSBT()), 0, [hex.encode(f.receiver.xOnly)]);

    // a flipped bit in the signature
    const bad = parsePsbt(arkTx.toPSBT());
    const [[k, sig]] = bad.getInput(0).tapScriptSig as [
      [{ pubKey: Uint8Array; leafHash: Uint8Array }, Uint8Array],
    ];
    const flipped = sig.slice();
    flipped[10] = (flipped[10] as number) ^ 1;
    bad.updateInput(0, { tapScriptSig: undefined }, true);
    bad.updateInput(0, { tapScriptSig: [[k, flipped]] }, true);
    expect(() => verifyTapscriptSignatures(bad, 0)).toThrowError(code("arktx.invalid_signature"));
    expect(() => sdkVerify(SdkTransaction.fromPSBT(bad.toPSBT()), 0, [])).toThrow();

    // the same signature moved to a different tx (other destination)
    const other = buildVhtlcClaim({
      ...f.common,
      outputs: [{ ...f.dest, pkScript: Uint8Array.of(0x51, 0x20, ...f.sender.xOnly) }],
      preimage: f.preimage,
    });
    other.arkTx.updateInput(0, { tapScriptSig: [[k, sig]] }, true);
    expect(() => verifyTapscriptSignatures(other.arkTx, 0)).toThrowError(code("arktx.invalid_signature"));

    // the checkpoint verifies independently of the ark tx
    signTapscriptInput(checkpoints[0]!, 0, f.receiver.priv);
    expect(verifyTapscriptSignatures(checkpoints[0]!, 0)).toHaveLength(1);
  });

  it("verifies signatures the SDK made and refuses sighash types not allowed", () => {
    const f = vhtlcFixture(11);
    const { arkTx } = buildVhtlcClaim({ ...f.common, preimage: f.preimage });
    const sdkTx = SdkTransaction.fromPSBT(arkTx.toPSBT());
    return SingleKey.fromPrivateKey(f.receiver.priv)
      .sign(sdkTx)
      .then((signed: SdkTransaction) => {
        const ours = parsePsbt(signed.toPSBT());
        expect(verifyTapscriptSignatures(ours, 0, { requiredSigners: [f.receiver.xOnly] })).toHaveLength(1);
        const all = parsePsbt(arkTx.toPSBT());
        signTapscriptInput(all, 0, f.receiver.priv, { sighashType: SigHash.ALL });
        expect(() => verifyTapscriptSignatures(all, 0)).toThrowError(code("arktx.sighash_not_allowed"));
        expect(verifyTapscriptSignatures(all, 0, { allowedSighashTypes: [SigHash.ALL] })).toHaveLength(1);
      });
  });

  it("refuses a key that is not in the leaf, a missing leaf and a bad index", () => {
    const f = vhtlcFixture(21);
    const { arkTx } = buildVhtlcClaim({ ...f.common, preimage: f.preimage });
    expect(() => signTapscriptInput(arkTx, 0, f.sender.priv)).toThrowError(code("arktx.key_not_in_leaf"));
    expect(() => signTapscriptInput(arkTx, 0, f.receiver.priv, { leafScript: f.vhtlc.refund })).toThrowError(
      code("arktx.missing_leaf_script"),
    );
    expect(() => signTapscriptInput(arkTx, 1, f.receiver.priv)).toThrowError(
      code("arktx.input_out_of_range"),
    );
    expect(() => signTapscriptInput(arkTx, 0, new Uint8Array(32))).toThrowError(
      code("arktx.invalid_private_key"),
    );
    expect(signTapscriptInputs(arkTx, f.sender.priv)).toEqual([]);
    expect(signTapscriptInputs(arkTx, f.receiver.priv)).toEqual([0]);
    expect(tapscriptSighash(arkTx, 0, f.vhtlc.claim)).toHaveLength(32);
  });

  it("merges the 3-of-3 cooperative refund: sender + receiver on both, server on the checkpoint", () => {
    const f = vhtlcFixture(31);
    const refund = buildVhtlcCooperativeRefund(f.common);
    // the wallet (sender) signs both
    signTapscriptInput(refund.arkTx, 0, f.sender.priv);
    signTapscriptInput(refund.checkpoints[0]!, 0, f.sender.priv);
    // the gateway (receiver) checks them against its own rebuild and co-signs
    const cosigned = cosignVhtlcCooperativeRefund({
      ...f.common,
      arkTx: refund.arkTx.toPSBT(),
      checkpoint: refund.checkpoints[0]!.toPSBT(),
      key: f.receiver.priv,
      requiredSigners: [f.sender.xOnly],
    });
    // arkd co-signs the ark tx and returns its own signed copy of the checkpoint
    signTapscriptInput(cosigned.arkTx, 0, f.server.priv);
    const serverCheckpoint = buildVhtlcCooperativeRefund(f.common).checkpoints[0]!;
    signTapscriptInput(serverCheckpoint, 0, f.server.priv);
    const finalCheckpoint = mergeTapscriptSignatures(serverCheckpoint, cosigned.checkpoint);
    const all = [f.sender.xOnly, f.receiver.xOnly, f.server.xOnly];
    expect(verifyTapscriptSignatures(finalCheckpoint, 0, { requiredSigners: all })).toHaveLength(3);
    expect(verifyTapscriptSignatures(cosigned.arkTx, 0, { requiredSigners: all })).toHaveLength(3);
    // merging is idempotent and keeps the base's own signatures
    expect(
      mergeTapscriptSignatures(finalCheckpoint, cosigned.checkpoint, serverCheckpoint).getInput(0)
        .tapScriptSig,
    ).toHaveLength(3);
    // the inputs were not modified
    expect(serverCheckpoint.getInput(0).tapScriptSig).toHaveLength(1);
    // a different tx does not merge
    expect(() => mergeTapscriptSignatures(serverCheckpoint, cosigned.arkTx)).toThrowError(
      code("arktx.merge_mismatch"),
    );
    // adding in place: the same signatures onto the target itself, which it returns
    const target = parsePsbt(serverCheckpoint.toPSBT());
    expect(addTapscriptSignatures(target, cosigned.checkpoint)).toBe(target);
    expect(verifyTapscriptSignatures(target, 0, { requiredSigners: all })).toHaveLength(3);
    expect(cosigned.checkpoint.getInput(0).tapScriptSig).toHaveLength(2);
    // a mismatch among several is refused before anything is added
    const untouched = parsePsbt(serverCheckpoint.toPSBT());
    expect(() => addTapscriptSignatures(untouched, cosigned.checkpoint, cosigned.arkTx)).toThrowError(
      code("arktx.merge_mismatch"),
    );
    expect(untouched.getInput(0).tapScriptSig).toHaveLength(1);
  });

  it("refuses to co-sign a refund that is not the expected one", () => {
    const f = vhtlcFixture(41);
    const refund = buildVhtlcCooperativeRefund(f.common);
    const claim = buildVhtlcClaim({ ...f.common, preimage: f.preimage });
    signTapscriptInput(refund.arkTx, 0, f.sender.priv);
    const args = { ...f.common, key: f.receiver.priv };
    // checkpoint of another spend
    expect(() =>
      cosignVhtlcCooperativeRefund({ ...args, arkTx: refund.arkTx, checkpoint: claim.checkpoints[0]! }),
    ).toThrowError(code("arktx.tx_mismatch"));
    // outputs other than the agreed ones
    expect(() =>
      cosignVhtlcCooperativeRefund({
        ...args,
        arkTx: refund.arkTx,
        checkpoint: refund.checkpoints[0]!,
        expectedOutputs: [{ ...f.dest, pkScript: Uint8Array.of(0x51, 0x20, ...f.sender.xOnly) }],
      }),
    ).toThrowError(code("arktx.tx_mismatch"));
    // a required sender signature is missing on the ark tx
    const unsigned = buildVhtlcCooperativeRefund(f.common);
    expect(() =>
      cosignVhtlcCooperativeRefund({
        ...args,
        arkTx: unsigned.arkTx,
        checkpoint: unsigned.checkpoints[0]!,
        requiredSigners: [f.sender.xOnly],
      }),
    ).toThrowError(code("arktx.missing_signature"));
  });
});
