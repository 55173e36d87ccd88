import { hex } from "@scure/base";
import { afterEach, describe, expect, it } from "vitest";
import {
  P2A_SCRIPT,
  buildVhtlcCooperativeRefund,
  getCondition,
  parsePsbt,
  psbtBase64,
  signTapscriptInput,
  verifyTapscriptSignatures,
} from "../../../../src/ark/tx/index.js";
import type { ArkWallet } from "../../../../src/ark/wallet/index.js";
import { party, preimagePair, scriptsOf, startHarness, stopAll, swapVhtlc, type Harness } from "./harness.js";

const started: ArkWallet[] = [];
afterEach(async () => stopAll(...started.splice(0)));
const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code,
  );

/** Submarine set-up: the wallet (sender) locked `amount` in a VHTLC whose receiver is our swap key. */
async function submarine(h: Harness, amount = 30_000n) {
  const user = party();
  const key = await h.wallet.swapKey(`sub-${Math.random()}`);
  const { preimage, paymentHash } = preimagePair();
  const v = swapVhtlc({
    sender: user.pub,
    receiver: key.publicKey,
    server: h.arkd.info.signerPubkey,
    preimage,
  });
  const scripts = scriptsOf(v);
  const script = hex.encode(scripts.pkScript);
  h.arkd.mint(script, amount);
  const vtxos = await h.wallet.vtxosAt(script);
  return { user, key, preimage, paymentHash, v, scripts, script, vtxos };
}

describe("claimVhtlc", () => {
  it("claims with the preimage: condition on the ark tx and the checkpoint, funds land in the wallet", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const s = await submarine(h);
    const before = await h.wallet.balance();
    const { arkTxid } = await h.wallet.claimVhtlc({
      vhtlc: s.v,
      keyIndex: s.key.index,
      vtxos: s.vtxos,
      preimage: hex.encode(s.preimage),
    });
    const spent = h.arkd.vtxos.get(s.vtxos[0]!.outpoint)!;
    expect(spent.flags.spent).toBe(true);
    expect(spent.arkTxid).toBe(arkTxid);
    // what the fake arkd stored carries the preimage in both txs' condition fields
    const arkTx = parsePsbt(h.arkd.virtualTxs.get(arkTxid)!);
    expect(hex.encode(getCondition(arkTx, 0)![0]!)).toBe(hex.encode(s.preimage));
    const cp = parsePsbt(h.arkd.virtualTxs.get(spent.spentBy!)!);
    expect(hex.encode(getCondition(cp, 0)![0]!)).toBe(hex.encode(s.preimage));
    expect(h.arkd.vtxos.get(`${arkTxid}:0`)).toMatchObject({ amountSats: 30_000n, script: h.walletScript });
    expect((await h.wallet.balance()).spendableSats).toBe(before.spendableSats + 30_000n);
    // idempotent: the same VTXOs again return the same claim
    expect(
      await h.wallet.claimVhtlc({
        vhtlc: s.v,
        keyIndex: s.key.index,
        vtxos: s.vtxos,
        preimage: hex.encode(s.preimage),
      }),
    ).toEqual({ arkTxid });
  });

  it("is idempotent after the fact: our claimed (now spent) VTXO answers with our claim; one spent by another is refused", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const s = await submarine(h);
    const preimage = hex.encode(s.preimage);
    const { arkTxid } = await h.wallet.claimVhtlc({
      vhtlc: s.v,
      keyIndex: s.key.index,
      vtxos: s.vtxos,
      preimage,
    });
    const seen = await h.wallet.vtxosAt(s.script);
    expect(seen[0]).toMatchObject({ isSpent: true, spentByArkTxid: arkTxid });
    const submits = h.arkd.calls.filter((c) => c === "submitTx").length;
    await expect(
      h.wallet.claimVhtlc({ vhtlc: s.v, keyIndex: s.key.index, vtxos: seen, preimage }),
    ).resolves.toEqual({ arkTxid });
    expect(h.arkd.calls.filter((c) => c === "submitTx").length).toBe(submits);
    // a VHTLC VTXO the sender took back (refundWithoutReceiver) is not ours to name as a claim
    const other = await submarine(h);
    const [op] = other.vtxos.map((v) => v.outpoint);
    const v = h.arkd.vtxos.get(op as string)!;
    h.arkd.vtxos.set(op as string, { ...v, flags: { ...v.flags, spent: true }, arkTxid: "ee".repeat(32) });
    const spent = await h.wallet.vtxosAt(other.script);
    expect(
      await code(
        h.wallet.claimVhtlc({
          vhtlc: other.v,
          keyIndex: other.key.index,
          vtxos: spent,
          preimage: hex.encode(other.preimage),
        }),
      ),
    ).toBe("wallet.vtxo_mismatch");
  });

  it("claims several VTXOs of one VHTLC in one ark tx", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const s = await submarine(h, 10_000n);
    h.arkd.mint(s.script, 5_000n);
    const vtxos = await h.wallet.vtxosAt(s.script);
    const { arkTxid } = await h.wallet.claimVhtlc({
      vhtlc: s.v,
      keyIndex: s.key.index,
      vtxos,
      preimage: hex.encode(s.preimage),
    });
    expect(h.arkd.vtxos.get(`${arkTxid}:0`)?.amountSats).toBe(15_000n);
  });

  it("refuses a wrong preimage, a key that is not the receiver, and VTXOs of another script", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const s = await submarine(h);
    const base = { vhtlc: s.v, keyIndex: s.key.index, vtxos: s.vtxos, preimage: hex.encode(s.preimage) };
    expect(await code(h.wallet.claimVhtlc({ ...base, preimage: "11".repeat(32) }))).toBe(
      "wallet.invalid_request",
    );
    expect(await code(h.wallet.claimVhtlc({ ...base, keyIndex: s.key.index + 1 }))).toBe(
      "wallet.key_mismatch",
    );
    const other = await submarine(h);
    expect(await code(h.wallet.claimVhtlc({ ...base, vtxos: other.vtxos }))).toBe("wallet.vtxo_mismatch");
    expect(h.arkd.calls).not.toContain("submitTx");
  });
});

describe("refundVhtlc", () => {
  async function reverse(h: Harness) {
    const user = party();
    const key = await h.wallet.swapKey(`rev-${Math.random()}`);
    const { preimage } = preimagePair();
    const v = swapVhtlc({
      sender: key.publicKey,
      receiver: user.pub,
      server: h.arkd.info.signerPubkey,
      preimage,
    });
    const script = hex.encode(scriptsOf(v).pkScript);
    await h.wallet.fund({ script, amountSats: 20_000n, idempotencyKey: `fund-${script}`, vhtlc: v });
    return { key, v, script, vtxos: await h.wallet.vtxosAt(script) };
  }

  it("is refused by arkd before the refund locktime, then refunds into the wallet (nLockTime = locktime)", async () => {
    const h = await startHarness({ amounts: [50_000n] });
    started.push(h.wallet);
    const r = await reverse(h);
    const req = { vhtlc: r.v, keyIndex: r.key.index, vtxos: r.vtxos };
    expect(await code(h.wallet.refundVhtlc(req))).toBe("wallet.spend_rejected");
    h.arkd.height = 150n;
    const { arkTxid } = await h.wallet.refundVhtlc(req);
    expect(parsePsbt(h.arkd.virtualTxs.get(arkTxid)!).lockTime).toBe(150);
    expect(h.arkd.vtxos.get(`${arkTxid}:0`)).toMatchObject({ amountSats: 20_000n, script: h.walletScript });
    expect(await h.wallet.balance()).toEqual({ spendableSats: 50_000n, vtxoCount: 2 });
  });

  it("with a chain clock, waits for the locktime without asking arkd", async () => {
    let tip = 120n;
    const h = await startHarness({ amounts: [50_000n], deps: { currentLocktime: async () => tip } });
    started.push(h.wallet);
    const r = await reverse(h);
    const submits = h.arkd.calls.filter((c) => c === "submitTx").length;
    expect(await code(h.wallet.refundVhtlc({ vhtlc: r.v, keyIndex: r.key.index, vtxos: r.vtxos }))).toBe(
      "wallet.locktime_not_reached",
    );
    expect(h.arkd.calls.filter((c) => c === "submitTx").length).toBe(submits);
    tip = 150n;
    h.arkd.height = 150n;
    await expect(
      h.wallet.refundVhtlc({ vhtlc: r.v, keyIndex: r.key.index, vtxos: r.vtxos }),
    ).resolves.toBeDefined();
  });

  it("is idempotent after the fact: our refunded (now spent) VTXO answers with our refund; one spent by another is refused", async () => {
    const h = await startHarness({ amounts: [50_000n] });
    started.push(h.wallet);
    h.arkd.height = 150n;
    const r = await reverse(h);
    const { arkTxid } = await h.wallet.refundVhtlc({ vhtlc: r.v, keyIndex: r.key.index, vtxos: r.vtxos });
    const seen = await h.wallet.vtxosAt(r.script);
    expect(seen[0]).toMatchObject({ isSpent: true, spentByArkTxid: arkTxid });
    const submits = h.arkd.calls.filter((c) => c === "submitTx").length;
    await expect(h.wallet.refundVhtlc({ vhtlc: r.v, keyIndex: r.key.index, vtxos: seen })).resolves.toEqual({
      arkTxid,
    });
    expect(h.arkd.calls.filter((c) => c === "submitTx").length).toBe(submits);
    // a VHTLC VTXO the user spent (its claim) is not ours to name as a refund
    const other = await reverse(h);
    const [op] = other.vtxos.map((v) => v.outpoint);
    const v = h.arkd.vtxos.get(op as string)!;
    h.arkd.vtxos.set(op as string, { ...v, flags: { ...v.flags, spent: true }, arkTxid: "ee".repeat(32) });
    const spent = await h.wallet.vtxosAt(other.script);
    expect(
      await code(h.wallet.refundVhtlc({ vhtlc: other.v, keyIndex: other.key.index, vtxos: spent })),
    ).toBe("wallet.vtxo_mismatch");
  });

  it("refuses when our key is not the sender", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const s = await submarine(h);
    expect(await code(h.wallet.refundVhtlc({ vhtlc: s.v, keyIndex: s.key.index, vtxos: s.vtxos }))).toBe(
      "wallet.key_mismatch",
    );
  });
});

describe("cosignRefund", () => {
  /** The wallet's side: builds the cooperative refund to `to` and signs the ark tx as sender. */
  function walletRefund(
    h: Harness,
    s: Awaited<ReturnType<typeof submarine>>,
    outputs?: { amountSats: bigint; pkScript: Uint8Array }[],
    claimedAmount?: bigint,
  ) {
    const vtxo = { ...s.vtxos[0]!, amountSats: claimedAmount ?? s.vtxos[0]!.amountSats };
    const [txid, vout] = vtxo.outpoint.split(":") as [string, string];
    const to = outputs ?? [
      { amountSats: vtxo.amountSats, pkScript: Uint8Array.of(0x51, 0x20, ...party().xOnly) },
    ];
    const txs = buildVhtlcCooperativeRefund({
      vhtlc: s.scripts,
      vtxo: { txid, vout: Number(vout), amountSats: vtxo.amountSats },
      outputs: to,
      checkpointTapscript: hex.decode(h.arkd.info.checkpointTapscript),
      policy: { dustSats: 330n },
    });
    signTapscriptInput(txs.arkTx, 0, s.user.priv);
    return { arkTx: txs.arkTx, checkpoint: txs.checkpoints[0]! };
  }

  it("co-signs a valid refund; the wallet then completes it at arkd", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const s = await submarine(h);
    const { arkTx, checkpoint } = walletRefund(h, s);
    const signed = await h.wallet.cosignRefund({
      vhtlc: s.v,
      keyIndex: s.key.index,
      arkTx: psbtBase64(arkTx),
      checkpoint: psbtBase64(checkpoint),
    });
    const ours = parsePsbt(signed.arkTx);
    expect(verifyTapscriptSignatures(ours, 0).sort()).toEqual(
      [hex.encode(s.user.xOnly), hex.encode(s.scripts.params.receiver)].sort(),
    );
    // the wallet submits; arkd needs sender + receiver on the ark tx, all three on the checkpoint
    const answer = await h.arkd.submitTx({
      signedArkTx: signed.arkTx,
      checkpointTxs: [psbtBase64(checkpoint)],
    });
    const cp = parsePsbt(answer.signedCheckpointTxs[0]!);
    const gatewayCp = parsePsbt(signed.checkpoint);
    const merged = (await import("../../../../src/ark/tx/index.js")).mergeTapscriptSignatures(cp, gatewayCp);
    signTapscriptInput(merged, 0, s.user.priv);
    await h.arkd.finalizeTx({ arkTxid: answer.arkTxid, finalCheckpointTxs: [psbtBase64(merged)] });
    expect(h.arkd.vtxos.get(s.vtxos[0]!.outpoint)?.flags.spent).toBe(true);
  });

  it("refuses a foreign input, an output paying the gateway, tampered outputs; co-signs a refund not yet signed by the sender", async () => {
    const h = await startHarness({ amounts: [40_000n] });
    started.push(h.wallet);
    const s = await submarine(h);
    const req = (t: { arkTx: { toPSBT(): Uint8Array }; checkpoint: { toPSBT(): Uint8Array } }, v = s.v) =>
      h.wallet.cosignRefund({
        vhtlc: v,
        keyIndex: s.key.index,
        arkTx: psbtBase64(parsePsbt(t.arkTx.toPSBT())),
        checkpoint: psbtBase64(parsePsbt(t.checkpoint.toPSBT())),
      });
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (e: { code?: string; details?: { reason?: string } }) => `${e.code}/${e.details?.reason}`,
      );

    // another swap's VHTLC VTXO (same key index is not ours to give away): foreign input
    const other = await submarine(h);
    expect(await reason(req(walletRefund(h, other)))).toBe("wallet.refund_invalid/foreign_input");

    // pays the gateway's own wallet script
    const amount = s.vtxos[0]!.amountSats;
    const toGateway = walletRefund(h, s, [{ amountSats: amount, pkScript: hex.decode(h.walletScript) }]);
    expect(await reason(req(toGateway))).toBe("wallet.refund_invalid/pays_gateway");

    // outputs changed after the sender signed: the sender's signature moved onto a refund to someone else
    const signedToA = walletRefund(h, s);
    const toB = walletRefund(h, s);
    const tampered = parsePsbt(toB.arkTx.toPSBT());
    tampered.updateInput(0, { tapScriptSig: undefined }, true);
    tampered.updateInput(0, { tapScriptSig: signedToA.arkTx.getInput(0).tapScriptSig }, true);
    expect(await reason(req({ arkTx: tampered, checkpoint: toB.checkpoint }))).toBe(
      "wallet.refund_invalid/invalid_signature",
    );

    // amounts that do not match the VTXO (the wallet claims it holds less)
    const short = walletRefund(
      h,
      s,
      [{ amountSats: amount - 1_000n, pkScript: Uint8Array.of(0x51, 0x20, ...party().xOnly) }],
      amount - 1_000n,
    );
    expect(await reason(req(short))).toBe("wallet.refund_invalid/amount_mismatch");

    // not signed by the sender yet: co-signed (@arkade-os/boltz-swap sends the refund unsigned
    // and signs after checking ours), with our signature only
    const unsigned = walletRefund(h, s);
    const bare = parsePsbt(unsigned.arkTx.toPSBT());
    bare.updateInput(0, { tapScriptSig: undefined }, true);
    const cosigned = await req({ arkTx: bare, checkpoint: unsigned.checkpoint });
    expect(verifyTapscriptSignatures(parsePsbt(cosigned.arkTx), 0)).toEqual([
      hex.encode(s.scripts.params.receiver),
    ]);

    // an ark tx whose last output is not the anchor
    expect(hex.encode(P2A_SCRIPT)).toBe("51024e73");
    expect(await h.wallet.balance()).toEqual({ spendableSats: 40_000n, vtxoCount: 1 });
  });
});
