/**
 * Reverse swap: the gateway funded a VHTLC, the user's wallet claims it with the preimage, the
 * gateway reads the preimage back. The user's claim is built by our tx core and, independently,
 * by @arkade-os/sdk.
 */
import {
  CSVMultisigTapscript,
  ConditionWitness,
  SingleKey,
  VHTLC,
  buildOffchainTx,
  setArkPsbtField,
} from "@arkade-os/sdk";
import { base64, hex } from "@scure/base";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildVhtlcClaim,
  mergeTapscriptSignatures,
  parsePsbt,
  psbtBase64,
  signTapscriptInput,
} from "../../../../src/ark/tx/index.js";
import type { ArkWallet } from "../../../../src/ark/wallet/index.js";
import type { FakeArkd } from "../../../fakes/fake-arkd.js";
import {
  party,
  preimagePair,
  scriptsOf,
  startHarness,
  stopAll,
  swapVhtlc,
  type Harness,
  type Party,
} from "./harness.js";

const started: ArkWallet[] = [];
afterEach(async () => stopAll(...started.splice(0)));

async function reverseFunded(h: Harness) {
  const user = party();
  const key = await h.wallet.swapKey(`rev-${Math.random()}`);
  const { preimage, paymentHash } = preimagePair();
  const v = swapVhtlc({
    sender: key.publicKey,
    receiver: user.pub,
    server: h.arkd.info.signerPubkey,
    preimage,
  });
  const scripts = scriptsOf(v);
  const script = hex.encode(scripts.pkScript);
  await h.wallet.fund({ script, amountSats: 15_000n, idempotencyKey: `f-${script}`, vhtlc: v });
  const [vtxo] = await h.wallet.vtxosAt(script);
  return { user, preimage, paymentHash, v, scripts, script, vtxo: vtxo! };
}

/** Submits the user's signed claim and finalizes it, signing the checkpoint with `signCp`. */
async function submitAndFinalize(
  arkd: FakeArkd,
  arkTx: string,
  checkpoints: string[],
  signCp: (cp: string) => string,
) {
  const answer = await arkd.submitTx({ signedArkTx: arkTx, checkpointTxs: checkpoints });
  await arkd.finalizeTx({
    arkTxid: answer.arkTxid,
    finalCheckpointTxs: answer.signedCheckpointTxs.map(signCp),
  });
  return answer.arkTxid;
}

function userOutput(user: Party) {
  return Uint8Array.of(0x51, 0x20, ...user.xOnly);
}

describe("revealedPreimage", () => {
  it("reads the preimage of a claim built by our tx core", async () => {
    const h = await startHarness({ amounts: [40_000n] });
    started.push(h.wallet);
    const r = await reverseFunded(h);
    expect(await h.wallet.revealedPreimage({ vtxo: r.vtxo, paymentHash: r.paymentHash })).toBeUndefined();
    const [txid, vout] = r.vtxo.outpoint.split(":") as [string, string];
    const txs = buildVhtlcClaim({
      vhtlc: r.scripts,
      vtxo: { txid, vout: Number(vout), amountSats: r.vtxo.amountSats },
      outputs: [{ amountSats: r.vtxo.amountSats, pkScript: userOutput(r.user) }],
      checkpointTapscript: hex.decode(h.arkd.info.checkpointTapscript),
      policy: { dustSats: 330n },
      preimage: r.preimage,
    });
    signTapscriptInput(txs.arkTx, 0, r.user.priv);
    const ours = txs.checkpoints.map(psbtBase64);
    await submitAndFinalize(h.arkd, psbtBase64(txs.arkTx), ours, (c) => {
      const merged = mergeTapscriptSignatures(parsePsbt(ours[0]!), parsePsbt(c));
      signTapscriptInput(merged, 0, r.user.priv);
      return psbtBase64(merged);
    });
    const [spent] = await h.wallet.vtxosAt(r.script);
    expect(spent?.isSpent).toBe(true);
    expect(await h.wallet.revealedPreimage({ vtxo: spent!, paymentHash: r.paymentHash })).toBe(
      hex.encode(r.preimage),
    );
    // another payment hash: not this preimage
    expect(await h.wallet.revealedPreimage({ vtxo: spent!, paymentHash: "00".repeat(32) })).toBeUndefined();
  });

  it("reads the preimage of a claim built and signed by @arkade-os/sdk", async () => {
    const h = await startHarness({ amounts: [40_000n] });
    started.push(h.wallet);
    const r = await reverseFunded(h);
    const sdkVhtlc = new VHTLC.Script({
      sender: r.scripts.params.sender,
      receiver: r.scripts.params.receiver,
      server: r.scripts.params.server,
      preimageHash: r.scripts.params.preimageHash,
      refundLocktime: r.v.refundLocktime,
      unilateralClaimDelay: { type: "blocks", value: r.v.unilateralClaimDelay },
      unilateralRefundDelay: { type: "blocks", value: r.v.unilateralRefundDelay },
      unilateralRefundWithoutReceiverDelay: {
        type: "blocks",
        value: r.v.unilateralRefundWithoutReceiverDelay,
      },
    });
    expect(hex.encode(sdkVhtlc.pkScript)).toBe(r.script);
    const [txid, vout] = r.vtxo.outpoint.split(":") as [string, string];
    const built = buildOffchainTx(
      [
        {
          txid,
          vout: Number(vout),
          value: Number(r.vtxo.amountSats),
          tapLeafScript: sdkVhtlc.claim(),
          tapTree: sdkVhtlc.encode(),
        },
      ],
      [{ amount: r.vtxo.amountSats, script: userOutput(r.user) }],
      CSVMultisigTapscript.decode(hex.decode(h.arkd.info.checkpointTapscript)),
    );
    setArkPsbtField(built.arkTx, 0, ConditionWitness, [r.preimage]);
    setArkPsbtField(built.checkpoints[0]!, 0, ConditionWitness, [r.preimage]);
    const identity = SingleKey.fromPrivateKey(r.user.priv);
    const signedArk = await identity.sign(built.arkTx);
    const cpB64 = base64.encode(built.checkpoints[0]!.toPSBT());
    await submitAndFinalize(h.arkd, base64.encode(signedArk.toPSBT()), [cpB64], (c) => {
      const merged = mergeTapscriptSignatures(parsePsbt(cpB64), parsePsbt(c));
      signTapscriptInput(merged, 0, r.user.priv);
      return psbtBase64(merged);
    });
    const [spent] = await h.wallet.vtxosAt(r.script);
    expect(await h.wallet.revealedPreimage({ vtxo: spent!, paymentHash: r.paymentHash })).toBe(
      hex.encode(r.preimage),
    );
  });
});
