import { hex } from "@scure/base";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isGatewayError } from "../../../../src/domain/errors.js";
import { parsePsbt } from "../../../../src/ark/tx/index.js";
import type { ArkWallet } from "../../../../src/ark/wallet/index.js";
import { party, preimagePair, scriptsOf, startHarness, stopAll, swapVhtlc } from "./harness.js";
import type { MemoryWalletStore } from "../../../fakes/memory-wallet-store.js";

const started: ArkWallet[] = [];
afterEach(async () => stopAll(...started.splice(0)));

function vhtlcTarget(server: string) {
  const wallet = party();
  const gateway = party();
  const v = swapVhtlc({
    sender: gateway.pub,
    receiver: wallet.pub,
    server,
    preimage: preimagePair().preimage,
  });
  return { v, script: hex.encode(scriptsOf(v).pkScript) };
}

describe("fund", () => {
  it("selects the largest VTXOs, pays the VHTLC as output 0 and the change back to the wallet", async () => {
    const h = await startHarness({ amounts: [5_000n, 20_000n, 8_000n, 1_000n] });
    started.push(h.wallet);
    const { v, script } = vhtlcTarget(h.arkd.info.signerPubkey);
    const res = await h.wallet.fund({ script, amountSats: 25_000n, idempotencyKey: "swap-1", vhtlc: v });

    expect(res.outpoint).toBe(`${res.arkTxid}:0`);
    const funded = h.arkd.vtxos.get(res.outpoint);
    expect(funded).toMatchObject({ amountSats: 25_000n, script });
    const change = h.arkd.vtxos.get(`${res.arkTxid}:1`);
    expect(change).toMatchObject({ amountSats: 3_000n, script: h.walletScript });
    // the two largest were spent, by this ark tx, at the fake arkd
    const spent = [...h.arkd.vtxos.values()].filter((x) => x.flags.spent);
    expect(spent.map((x) => x.amountSats).sort()).toEqual([20_000n, 8_000n].sort());
    expect(spent.every((x) => x.arkTxid === res.arkTxid)).toBe(true);
    // and the wallet's books agree
    expect(await h.wallet.balance()).toEqual({ spendableSats: 9_000n, vtxoCount: 3 });
    const store = h.store as MemoryWalletStore;
    expect(store.spends.get("swap-1")).toMatchObject({ state: "finalized", arkTxid: res.arkTxid });
  });

  it("is idempotent per key: a repeat returns the first spend and spends nothing more", async () => {
    const h = await startHarness({ amounts: [50_000n] });
    started.push(h.wallet);
    const { script } = vhtlcTarget(h.arkd.info.signerPubkey);
    const first = await h.wallet.fund({ script, amountSats: 10_000n, idempotencyKey: "k" });
    const submits = h.arkd.calls.filter((c) => c === "submitTx").length;
    const again = await h.wallet.fund({ script, amountSats: 10_000n, idempotencyKey: "k" });
    expect(again).toEqual(first);
    expect(h.arkd.calls.filter((c) => c === "submitTx").length).toBe(submits);
    await expect(h.wallet.fund({ script, amountSats: 11_000n, idempotencyKey: "k" })).rejects.toSatisfy((e) =>
      isGatewayError(e, "wallet.idempotency_conflict"),
    );
  });

  it("concurrent calls with one key share one spend; different keys never share a VTXO", async () => {
    const h = await startHarness({ amounts: [10_000n, 10_000n, 10_000n] });
    started.push(h.wallet);
    const { script } = vhtlcTarget(h.arkd.info.signerPubkey);
    const [a, b] = await Promise.all([
      h.wallet.fund({ script, amountSats: 9_000n, idempotencyKey: "same" }),
      h.wallet.fund({ script, amountSats: 9_000n, idempotencyKey: "same" }),
    ]);
    expect(a).toEqual(b);
    const others = await Promise.all([
      h.wallet.fund({ script, amountSats: 9_000n, idempotencyKey: "x" }),
      h.wallet.fund({ script, amountSats: 9_000n, idempotencyKey: "y" }),
    ]);
    expect(new Set([a.arkTxid, ...others.map((o) => o.arkTxid)]).size).toBe(3);
  });

  it("refuses what it cannot pay: insufficient funds, sub-dust amounts, a mismatched or invalid VHTLC", async () => {
    const h = await startHarness({ amounts: [2_000n] });
    started.push(h.wallet);
    const { v, script } = vhtlcTarget(h.arkd.info.signerPubkey);
    const code = (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (e: { code?: string }) => e.code,
      );
    expect(await code(h.wallet.fund({ script, amountSats: 5_000n, idempotencyKey: "a" }))).toBe(
      "wallet.insufficient_funds",
    );
    expect(await code(h.wallet.fund({ script, amountSats: 100n, idempotencyKey: "b" }))).toBe(
      "wallet.amount_out_of_range",
    );
    const other = vhtlcTarget(h.arkd.info.signerPubkey);
    expect(
      await code(h.wallet.fund({ script, amountSats: 1_000n, idempotencyKey: "c", vhtlc: other.v })),
    ).toBe("wallet.invalid_vhtlc");
    // a VHTLC under another server key is refused before anything is signed (invariant 7)
    const foreign = { ...v, serverPubkey: party().pub };
    const foreignScript = hex.encode(scriptsOf(foreign).pkScript);
    expect(
      await code(
        h.wallet.fund({ script: foreignScript, amountSats: 1_000n, idempotencyKey: "d", vhtlc: foreign }),
      ),
    ).toBe("wallet.invalid_vhtlc");
    expect(h.arkd.calls).not.toContain("submitTx");
    expect(await h.wallet.balance()).toEqual({ spendableSats: 2_000n, vtxoCount: 1 });
  });

  it("adds a coin rather than leave sub-dust change, and pays unavoidable sub-dust change as OP_RETURN", async () => {
    const h = await startHarness({ amounts: [10_000n, 500n] });
    started.push(h.wallet);
    const { script } = vhtlcTarget(h.arkd.info.signerPubkey);
    // 10_000 alone leaves 100 (< dust 330): the 500 coin is added, change 600
    const r1 = await h.wallet.fund({ script, amountSats: 9_900n, idempotencyKey: "a" });
    expect(h.arkd.vtxos.get(`${r1.arkTxid}:1`)).toMatchObject({ amountSats: 600n, script: h.walletScript });
    // 600 alone, paying 400: change 200 cannot be avoided → OP_RETURN <wallet output key>
    const r2 = await h.wallet.fund({ script, amountSats: 400n, idempotencyKey: "b" });
    const tx = parsePsbt(h.arkd.virtualTxs.get(r2.arkTxid) as string);
    const change = tx.getOutput(1);
    expect(change.amount).toBe(200n);
    expect(hex.encode(change.script as Uint8Array)).toBe(`6a20${h.walletScript.slice(4)}`);
    expect(await h.wallet.balance()).toEqual({ spendableSats: 0n, vtxoCount: 0 });
  });

  it("invariant 3: with minBatchExpiry, never spends a VTXO whose batch expires first (the VHTLC would expire with it)", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    h.arkd.mint(h.walletScript, 50_000n, 100n); // the largest coin expires at height 100
    h.arkd.mint(h.walletScript, 8_000n, 2_000n);
    h.arkd.mint(h.walletScript, 7_000n, 2_000n);
    await h.wallet.rescan();
    const { v, script } = vhtlcTarget(h.arkd.info.signerPubkey);
    const res = await h.wallet.fund({
      script,
      amountSats: 12_000n,
      idempotencyKey: "rev-1",
      vhtlc: v,
      minBatchExpiry: 141n, // refundLocktime 136 + margin 5
    });
    const funded = h.arkd.vtxos.get(res.outpoint)!;
    expect(funded).toMatchObject({ amountSats: 12_000n, script });
    expect(h.arkd.deadlineOf(funded)).toBe(2_000n); // it expires with its inputs' batches
    const spent = [...h.arkd.vtxos.values()].filter((x) => x.flags.spent).map((x) => x.amountSats);
    expect(spent.sort()).toEqual([7_000n, 8_000n]);
    // left: the 3 000 change (expires at 2 000) and the early 50 000 coin; 5 000 cannot be paid safely
    const submits = h.arkd.calls.filter((c) => c === "submitTx").length;
    await expect(
      h.wallet.fund({ script, amountSats: 5_000n, idempotencyKey: "rev-2", minBatchExpiry: 141n }),
    ).rejects.toSatisfy((e) => isGatewayError(e, "wallet.insufficient_funds"));
    expect(h.arkd.calls.filter((c) => c === "submitTx").length).toBe(submits);
  });

  it("releases the reservation when arkd rejects the spend", async () => {
    const h = await startHarness({ amounts: [10_000n] });
    started.push(h.wallet);
    const { script } = vhtlcTarget(h.arkd.info.signerPubkey);
    // arkd sees the VTXO as already spent (e.g. by another process): a definite rejection
    const [op] = [...h.arkd.vtxos.keys()];
    const v = h.arkd.vtxos.get(op as string);
    h.arkd.vtxos.set(op as string, { ...v!, flags: { ...v!.flags, spent: true } });
    await expect(h.wallet.fund({ script, amountSats: 1_000n, idempotencyKey: "r" })).rejects.toSatisfy((e) =>
      isGatewayError(e, "wallet.spend_rejected"),
    );
    const store = h.store as MemoryWalletStore;
    expect(store.spends.get("r")?.state).toBe("failed");
    expect(store.vtxos.get(op as string)?.state).toBe("spendable");
  });

  it("tells the coins-freed listener about change recorded and reservations released", async () => {
    const h = await startHarness({ amounts: [10_000n] });
    started.push(h.wallet);
    const freed: number[] = [];
    h.wallet.onCoinsFreed((n) => freed.push(n));
    const { script } = vhtlcTarget(h.arkd.info.signerPubkey);
    await h.wallet.fund({ script, amountSats: 4_000n, idempotencyKey: "with-change" });
    expect(freed).toEqual([1]); // the 6,000 sat change
    await h.wallet.fund({ script, amountSats: 6_000n, idempotencyKey: "exact" });
    expect(freed).toEqual([1]); // no change, nothing freed
    h.arkd.mint(h.walletScript, 3_000n);
    await h.wallet.rescan();
    const [op] = [...h.arkd.vtxos.entries()].filter(([, v]) => v.amountSats === 3_000n).map(([o]) => o);
    const v = h.arkd.vtxos.get(op as string);
    h.arkd.vtxos.set(op as string, { ...v!, flags: { ...v!.flags, spent: true } });
    await expect(h.wallet.fund({ script, amountSats: 1_000n, idempotencyKey: "rejected" })).rejects.toSatisfy(
      (e) => isGatewayError(e, "wallet.spend_rejected"),
    );
    expect(freed).toEqual([1, 1]); // the released reservation
  });

  it("funds side by side pick distinct coins", async () => {
    const h = await startHarness({ amounts: [10_000n, 10_000n, 10_000n, 10_000n, 10_000n] });
    started.push(h.wallet);
    const { script } = vhtlcTarget(h.arkd.info.signerPubkey);
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => h.wallet.fund({ script, amountSats: 6_000n, idempotencyKey: `par-${i}` })),
    );
    expect(new Set(results.map((r) => r.arkTxid)).size).toBe(5);
    const store = h.store as MemoryWalletStore;
    const inputs = [...store.spends.values()].flatMap((sp) => sp.inputOutpoints);
    expect(inputs).toHaveLength(5);
    expect(new Set(inputs).size).toBe(5);
    expect([...store.spends.values()].every((sp) => sp.state === "finalized")).toBe(true);
  });

  it("a fund that fails after picking its coins leaves them to the next fund", async () => {
    const h = await startHarness({ amounts: [10_000n] });
    started.push(h.wallet);
    const { script } = vhtlcTarget(h.arkd.info.signerPubkey);
    const store = h.store as MemoryWalletStore;
    const spy = vi.spyOn(store, "createSpend").mockRejectedValueOnce(new Error("database down"));
    await expect(h.wallet.fund({ script, amountSats: 3_000n, idempotencyKey: "first" })).rejects.toThrow(
      "database down",
    );
    const ok = await h.wallet.fund({ script, amountSats: 3_000n, idempotencyKey: "second" });
    expect(store.spends.get("second")?.inputOutpoints).toHaveLength(1);
    expect(ok.outpoint).toBe(`${ok.arkTxid}:0`);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
