/** The fake arkd refuses what arkd refuses: the wallet tests only mean something if it does. */
import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import { encodeCsvMultisig } from "../../../../src/ark/scripts/index.js";
import {
  buildIntentProof,
  buildOffchainTxs,
  createSchnorrSigner,
  psbtBase64,
  signIntentProof,
  signTapscriptInput,
  type OffchainTxs,
} from "../../../../src/ark/tx/index.js";
import { buildWalletScript, createKeyRing } from "../../../../src/ark/wallet/index.js";
import { walletInput } from "../../../../src/ark/wallet/wallet-script.js";
import { FakeArkd } from "../../../fakes/fake-arkd.js";
import { SEED, party, preimagePair, scriptsOf, swapVhtlc } from "./harness.js";

const keys = createKeyRing(SEED);

function setup() {
  const arkd = new FakeArkd();
  const wallet = buildWalletScript(keys.walletKey.xOnly, arkd.info);
  const op = arkd.mint(wallet.pkScriptHex, 10_000n);
  const build = (
    outputs = [{ amountSats: 10_000n, pkScript: Uint8Array.of(0x51, 0x20, ...party().xOnly) }],
    cp?: Uint8Array,
  ) =>
    buildOffchainTxs({
      inputs: [walletInput(wallet, op, 10_000n)],
      outputs,
      checkpointTapscript: cp ?? hex.decode(arkd.info.checkpointTapscript),
      policy: { dustSats: 330n },
    });
  const submit = (t: OffchainTxs) =>
    arkd.submitTx({ signedArkTx: psbtBase64(t.arkTx), checkpointTxs: t.checkpoints.map(psbtBase64) });
  return { arkd, wallet, op, build, submit };
}

const rejected = (p: Promise<unknown>) =>
  p.then(
    () => "accepted",
    (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
  );

describe("fake arkd SubmitTx checks", () => {
  it("accepts a correct spend and co-signs it", async () => {
    const s = setup();
    const t = s.build();
    signTapscriptInput(t.arkTx, 0, keys.walletKey.signer);
    const answer = await s.submit(t);
    expect(answer.arkTxid).toBe(t.arkTx.id);
  });

  it("refuses a missing or foreign signature", async () => {
    const s = setup();
    expect(await rejected(s.submit(s.build()))).toMatch(/ark.invalid_argument: .*lacks the signature/);
    const t = s.build();
    const other = createKeyRing(hex.decode("ff".repeat(32))).walletKey.signer;
    // sign with the right key over another tx's sighash: forge by signing a different build
    const t2 = s.build();
    signTapscriptInput(t2.arkTx, 0, keys.walletKey.signer);
    t.arkTx.updateInput(0, { tapScriptSig: t2.arkTx.getInput(0).tapScriptSig }, true);
    expect(await rejected(s.submit(t))).toMatch(/invalid signature/);
    expect(() => signTapscriptInput(s.build().arkTx, 0, other)).toThrow();
  });

  it("refuses checkpoints that do not rebuild (another checkpoint tapscript) and Σ out ≠ Σ in", async () => {
    const s = setup();
    const wrongCp = encodeCsvMultisig({ type: "blocks", value: 11n }, [s.arkd.serverXOnly]);
    const t = s.build(undefined, wrongCp);
    signTapscriptInput(t.arkTx, 0, keys.walletKey.signer);
    expect(await rejected(s.submit(t))).toMatch(/does not rebuild|taptree/);
    const u = s.build();
    u.arkTx.updateOutput(0, { amount: 9_000n });
    signTapscriptInput(u.arkTx, 0, keys.walletKey.signer);
    expect(await rejected(s.submit(u))).toMatch(/inputs 10000 != outputs 9000/);
  });

  it("refuses a claim without the condition witness or with a wrong preimage", async () => {
    const arkd = new FakeArkd();
    const receiver = party();
    const { preimage } = preimagePair();
    const v = swapVhtlc({
      sender: party().pub,
      receiver: receiver.pub,
      server: arkd.info.signerPubkey,
      preimage,
    });
    const scripts = scriptsOf(v);
    const op = arkd.mint(hex.encode(scripts.pkScript), 5_000n);
    const [txid, vout] = op.split(":") as [string, string];
    const claim = (condition?: Uint8Array[]) => {
      const t = buildOffchainTxs({
        inputs: [
          {
            txid,
            vout: Number(vout),
            amountSats: 5_000n,
            leafScript: scripts.claim,
            controlBlock: scripts.controlBlock(scripts.claim),
            tapTree: scripts.leaves,
            ...(condition === undefined ? {} : { condition }),
          },
        ],
        outputs: [{ amountSats: 5_000n, pkScript: Uint8Array.of(0x51, 0x20, ...receiver.xOnly) }],
        checkpointTapscript: hex.decode(arkd.info.checkpointTapscript),
        policy: { dustSats: 330n },
      });
      signTapscriptInput(t.arkTx, 0, receiver.priv);
      return arkd.submitTx({
        signedArkTx: psbtBase64(t.arkTx),
        checkpointTxs: t.checkpoints.map(psbtBase64),
      });
    };
    expect(await rejected(claim())).toMatch(/no condition witness/);
    expect(await rejected(claim([new Uint8Array(32).fill(7)]))).toMatch(/condition does not hold/);
    expect(await rejected(claim([preimage]))).toBe("accepted");
  });

  it("FinalizeTx refuses checkpoints without our signature; GetPendingTx refuses a proof by another key", async () => {
    const s = setup();
    const t = s.build();
    signTapscriptInput(t.arkTx, 0, keys.walletKey.signer);
    const answer = await s.submit(t);
    expect(
      await rejected(
        s.arkd.finalizeTx({ arkTxid: answer.arkTxid, finalCheckpointTxs: answer.signedCheckpointTxs }),
      ),
    ).toMatch(/lacks the signature/);
    const input = walletInput(s.wallet, s.op, 10_000n);
    const proof = buildIntentProof({ message: { type: "get-pending-tx", expireAt: 0 }, inputs: [input] });
    signIntentProof(proof.proof, createSchnorrSigner(new Uint8Array(32).fill(3)));
    expect(
      await rejected(s.arkd.getPendingTxs({ proof: psbtBase64(proof.proof), message: proof.message })),
    ).toMatch(/lacks the signature/);
    const good = buildIntentProof({ message: { type: "get-pending-tx", expireAt: 0 }, inputs: [input] });
    signIntentProof(good.proof, keys.walletKey.signer);
    const pending = await s.arkd.getPendingTxs({ proof: psbtBase64(good.proof), message: good.message });
    expect(pending.map((p) => p.arkTxid)).toEqual([answer.arkTxid]);
  });
});
