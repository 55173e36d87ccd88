/**
 * A spend interrupted between SubmitTx and FinalizeTx (or around them): the caller "crashes"
 * (the fake's call never returns), a new wallet process on the same store and seed starts, and
 * recovery finishes or releases the spend. Each case also runs on Postgres (integration).
 */
import { hex } from "@scure/base";
import { afterEach, describe, expect, it } from "vitest";
import { arkError } from "../../../../src/ark/client/index.js";
import type { ArkWallet } from "../../../../src/ark/wallet/index.js";
import { isGatewayError } from "../../../../src/domain/errors.js";
import { party, preimagePair, scriptsOf, startHarness, stopAll, swapVhtlc } from "./harness.js";

const started: ArkWallet[] = [];
afterEach(async () => stopAll(...started.splice(0)));

function target(server: string): string {
  const v = swapVhtlc({
    sender: party().pub,
    receiver: party().pub,
    server,
    preimage: preimagePair().preimage,
  });
  return hex.encode(scriptsOf(v).pkScript);
}

/** Lets the event loop run until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
}

describe("recovery of interrupted spends", () => {
  it("crash after SubmitTx reached arkd: the restarted wallet finalizes via GetPendingTx", async () => {
    const h = await startHarness({ amounts: [30_000n] });
    started.push(h.wallet);
    const script = target(h.arkd.info.signerPubkey);
    h.arkd.hook("submitTx", { when: "after", action: "hang" });
    void h.wallet.fund({ script, amountSats: 12_000n, idempotencyKey: "crash-1" });
    await until(() => h.arkd.pending.size === 1);
    const [arkTxid] = [...h.arkd.pending.keys()];

    const w2 = await h.restart();
    started.push(w2);
    expect(h.arkd.calls).toContain("getPendingTxs");
    expect(h.arkd.pending.size).toBe(0);
    expect(h.arkd.vtxos.get(`${arkTxid}:0`)).toMatchObject({ amountSats: 12_000n, script });
    expect(await w2.balance()).toEqual({ spendableSats: 18_000n, vtxoCount: 1 });
    // fund is idempotent across the crash: the same key returns the recovered spend
    expect(await w2.fund({ script, amountSats: 12_000n, idempotencyKey: "crash-1" })).toEqual({
      arkTxid,
      outpoint: `${arkTxid}:0`,
    });
  });

  it("crash before SubmitTx reached arkd: recovery finds nothing and releases the reservation", async () => {
    const h = await startHarness({ amounts: [30_000n] });
    started.push(h.wallet);
    const script = target(h.arkd.info.signerPubkey);
    h.arkd.hook("submitTx", { when: "before", action: "hang" });
    void h.wallet.fund({ script, amountSats: 12_000n, idempotencyKey: "crash-2" });
    await until(() => h.arkd.calls.includes("submitTx"));
    expect(await h.wallet.balance()).toEqual({ spendableSats: 0n, vtxoCount: 0 }); // reserved

    const w2 = await h.restart();
    started.push(w2);
    expect(h.arkd.calls).toContain("getPendingTxs");
    expect(await w2.balance()).toEqual({ spendableSats: 30_000n, vtxoCount: 1 });
    // a new attempt under the same key now really spends
    const res = await w2.fund({ script, amountSats: 12_000n, idempotencyKey: "crash-2" });
    expect(h.arkd.vtxos.get(res.outpoint)?.amountSats).toBe(12_000n);
  });

  it("crash after FinalizeTx: the indexer shows the inputs spent by our tx, the record is finalized", async () => {
    const h = await startHarness({ amounts: [30_000n] });
    started.push(h.wallet);
    const script = target(h.arkd.info.signerPubkey);
    h.arkd.hook("finalizeTx", { when: "after", action: "hang" });
    void h.wallet.fund({ script, amountSats: 12_000n, idempotencyKey: "crash-3" });
    await until(() => h.arkd.virtualTxs.size > 0);
    const pendingBefore = h.arkd.calls.filter((c) => c === "getPendingTxs").length;

    const w2 = await h.restart();
    started.push(w2);
    // one GetPendingTx: arkd lists the inputs spent by our tx from SubmitTx on, so only "no
    // longer pending" tells a finalized tx from an accepted one
    expect(h.arkd.calls.filter((c) => c === "getPendingTxs").length).toBe(pendingBefore + 1);
    expect(h.arkd.calls.filter((c) => c === "finalizeTx").length).toBe(1);
    expect(await w2.balance()).toEqual({ spendableSats: 18_000n, vtxoCount: 1 });
    const res = await w2.fund({ script, amountSats: 12_000n, idempotencyKey: "crash-3" });
    expect(h.arkd.vtxos.get(res.outpoint)?.amountSats).toBe(12_000n);
  });

  it("a lost SubmitTx answer is in doubt (retryable) and a retry of the same key finishes it", async () => {
    const h = await startHarness({ amounts: [30_000n] });
    started.push(h.wallet);
    const script = target(h.arkd.info.signerPubkey);
    h.arkd.hook("submitTx", { when: "after", action: arkError("ark.deadline_exceeded", "timeout") });
    await expect(h.wallet.fund({ script, amountSats: 12_000n, idempotencyKey: "lost" })).rejects.toSatisfy(
      (e) => isGatewayError(e, "wallet.spend_in_doubt") && e.retryable,
    );
    const res = await h.wallet.fund({ script, amountSats: 12_000n, idempotencyKey: "lost" });
    expect(h.arkd.vtxos.get(res.outpoint)?.amountSats).toBe(12_000n);
    expect(h.arkd.calls.filter((c) => c === "submitTx").length).toBe(1);
  });

  it("does not release inside the grace period when arkd is silent about a SubmitTx it never got", async () => {
    const h = await startHarness({ amounts: [30_000n] });
    started.push(h.wallet);
    const script = target(h.arkd.info.signerPubkey);
    h.arkd.hook("submitTx", { when: "before", action: arkError("ark.unavailable", "down") });
    await expect(h.wallet.fund({ script, amountSats: 12_000n, idempotencyKey: "g" })).rejects.toSatisfy((e) =>
      isGatewayError(e, "wallet.spend_in_doubt"),
    );
    // retried at once: arkd knows nothing yet, but the SubmitTx might still land → still in doubt
    await expect(h.wallet.fund({ script, amountSats: 12_000n, idempotencyKey: "g" })).rejects.toSatisfy((e) =>
      isGatewayError(e, "wallet.spend_in_doubt"),
    );
    expect(await h.wallet.balance()).toEqual({ spendableSats: 0n, vtxoCount: 0 });
    // a restart has no in-flight call any more: arkd's silence is final, the VTXO is released
    const w2 = await h.restart();
    started.push(w2);
    expect(await w2.balance()).toEqual({ spendableSats: 30_000n, vtxoCount: 1 });
  });

  it("recovers an interrupted claim (swap key signs the intent, condition included)", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const key = await h.wallet.swapKey("claim-crash");
    const { preimage } = preimagePair();
    const v = swapVhtlc({
      sender: party().pub,
      receiver: key.publicKey,
      server: h.arkd.info.signerPubkey,
      preimage,
    });
    const script = hex.encode(scriptsOf(v).pkScript);
    h.arkd.mint(script, 25_000n);
    const vtxos = await h.wallet.vtxosAt(script);
    h.arkd.hook("submitTx", { when: "after", action: "hang" });
    void h.wallet.claimVhtlc({ vhtlc: v, keyIndex: key.index, vtxos, preimage: hex.encode(preimage) });
    await until(() => h.arkd.pending.size === 1);
    const w2 = await h.restart();
    started.push(w2);
    expect(h.arkd.pending.size).toBe(0);
    expect(h.arkd.vtxos.get(vtxos[0]!.outpoint)?.flags.spent).toBe(true);
    expect(await w2.balance()).toEqual({ spendableSats: 25_000n, vtxoCount: 1 });
  });
});
