import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { isGatewayError } from "../../../src/domain/errors.js";
import type { SubmarineSwap } from "../../../src/domain/swap-records.js";
import { swapVhtlc } from "../../../src/swaps/vhtlc.js";
import { pubkeyFor } from "../../fakes/keys.js";
import { createHarness, type Harness } from "./harness.js";

const START_ARK = 10_000_000n;
let h: Harness;
const harnesses: Harness[] = [];

beforeEach(async () => {
  h = await createHarness("sub");
  harnesses.push(h);
});
afterAll(async () => {
  for (const x of harnesses) {
    await x.engine.stop();
    await x.db.destroy();
  }
});

async function createFunded(amountMsat = 50_000_000n, fundWith?: (expected: bigint) => bigint[]) {
  const inv = h.ln.addExternalInvoice({ amountMsat });
  const created = await h.service.createSubmarine({
    invoice: inv.bolt11,
    refundPublicKey: pubkeyFor("wallet"),
  });
  const swap = (await h.swap(created.id)) as SubmarineSwap;
  for (const part of fundWith?.(created.expectedAmountSats) ?? [created.expectedAmountSats]) {
    h.ark.walletSend("wallet", swap.lockupScript, part);
  }
  return { inv, created, swap };
}

const rejectsWith = (code: string) => (e: unknown) => isGatewayError(e, code);

describe("submarine swap (Ark → LN)", () => {
  it("happy path: funded → paid within fee and CLTV limits → preimage stored → claimed; every sat accounted for", async () => {
    const { inv, created, swap } = await createFunded();
    expect(created.expectedAmountSats).toBe(50_050n);
    expect(created.timeoutBlockHeights.refund).toBe(1_072n);
    expect(created.address.startsWith("tark1")).toBe(true);
    await h.settle();
    const done = (await h.swap(swap.id)) as SubmarineSwap;
    expect(done.status).toBe("claimed");
    expect(await h.events(swap.id)).toEqual([
      "created",
      "vtxo_seen",
      "funding_accepted",
      "payment_started",
      "payment_succeeded",
      "claim_started",
      "claim_confirmed",
    ]);
    expect(h.ln.payCalls).toEqual([
      expect.objectContaining({ maxFeeSats: 175n, maxTimeoutHeight: 1_052, maxPaths: 4 }),
    ]);
    expect(await h.service.submarinePreimage(swap.id)).toEqual({ preimage: inv.preimage });
    expect(await h.service.status(swap.id)).toMatchObject({
      status: "transaction.claimed",
      transaction: { id: done.claimTxid, preimage: inv.preimage },
    });
    // balances: the wallet paid 50 050 sats into Ark, the gateway got them and paid 50 000 + 2 sats fee on LN
    expect(h.ark.walletBalance("wallet")).toBe(-50_050n);
    expect(h.ark.gatewaySats - START_ARK).toBe(50_050n);
    expect(h.ln.gatewayMsat).toBe(-50_002_000n);
    expect(h.ln.payeeMsat).toBe(50_000_000n);
    expect(h.ark.lockedAt(swap.lockupScript)).toBe(0n);
  });

  it("claiming: the wallet's refundWithoutReceiver after the locktime is not our claim → claim_lost (a visible loss), never claimed", async () => {
    const { swap } = await createFunded();
    for (let i = 0; i < 50; i += 1) h.ark.failNext("claimVhtlc");
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("claiming");
    h.chain.mine(72); // refundLocktime 1 072
    h.ark.clearFaults("claimVhtlc"); // arkd answers again, after the wallet's refund
    const refundTxid = h.ark.walletRefundWithoutReceiver("wallet", swap.lockupScript, swap.refundLocktime);
    await h.tick();
    await h.settle();
    const done = (await h.swap(swap.id)) as SubmarineSwap;
    expect(done.status).toBe("claim_lost");
    expect(done.claimTxid).toBeNull();
    expect(done.failureReason).toMatch(/spent by another transaction than our claim/);
    expect((await h.events(swap.id)).slice(-2)).toEqual(["claim_started", "claim_lost"]);
    // public: the failure a wallet treats as final (never transaction.claimed: we never got the lockup)
    expect(await h.service.status(swap.id)).toMatchObject({ status: "invoice.failedToPay" });
    // the invoice was paid and the wallet got its sats back: the gateway is short the amount
    expect(h.ln.payeeMsat).toBe(50_000_000n);
    expect(h.ark.walletBalance("wallet")).toBe(0n);
    expect(h.ark.gatewaySats).toBe(START_ARK);
    expect(refundTxid).not.toBe("");
  });

  it("claiming: VTXOs already spent by our own claim (a crash before the status was written) → claimed", async () => {
    const { swap, inv } = await createFunded();
    for (let i = 0; i < 50; i += 1) h.ark.failNext("claimVhtlc");
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("claiming");
    h.ark.clearFaults("claimVhtlc");
    // our claim goes through outside the engine, as if the process died before recording it
    const { arkTxid } = await h.ark.claimVhtlc({
      vhtlc: swapVhtlc(swap),
      keyIndex: (await h.ark.swapKey(swap.id)).index,
      vtxos: await h.ark.vtxosAt(swap.lockupScript),
      preimage: inv.preimage,
    });
    await h.tick();
    await h.settle();
    const done = (await h.swap(swap.id)) as SubmarineSwap;
    expect(done.status).toBe("claimed");
    expect(done.claimTxid).toBe(arkTxid);
  });

  it("accepts two VTXOs to one VHTLC address together and claims both", async () => {
    const { swap } = await createFunded(50_000_000n, (e) => [20_000n, e - 20_000n]);
    await h.settle();
    const done = (await h.swap(swap.id)) as SubmarineSwap;
    expect(done.status).toBe("claimed");
    expect(done.fundingOutpoints).toHaveLength(2);
    expect(done.receivedAmountSats).toBe(50_050n);
    expect(h.ark.gatewaySats - START_ARK).toBe(50_050n);
    expect(h.ark.lockedAt(swap.lockupScript)).toBe(0n);
  });

  it.each([
    ["underpaid by one sat", (e: bigint) => e - 1n, "underpaid"],
    ["overpaid beyond max(10k sat, 2 %)", (e: bigint) => e + 10_001n, "overpaid"],
    ["more than 2× (tolerance never exceeds the cap)", (e: bigint) => e * 2n + 1n, "overpaid"],
  ])(
    "refuses funding %s: funding_rejected, nothing paid, the wallet can refund",
    async (_n, amount, reason) => {
      const inv = h.ln.addExternalInvoice({ amountMsat: 5_000_000n }); // 5 000 sats: 2× cap below 10k tolerance
      const created = await h.service.createSubmarine({
        invoice: inv.bolt11,
        refundPublicKey: pubkeyFor("wallet"),
      });
      const swap = await h.swap(created.id);
      h.ark.walletSend("wallet", swap.lockupScript, amount(created.expectedAmountSats));
      await h.settle();
      const after = await h.swap(swap.id);
      expect(after.status).toBe("funding_rejected");
      expect(after.failureReason).toContain(reason);
      expect(h.ln.payCalls).toHaveLength(0);
      await h.service.refundArk(swap.id, { transaction: "psbt:refund", checkpoint: "psbt:cp" });
      h.ark.walletRefund("wallet", swap.lockupScript);
      await h.tick();
      const done = (await h.swap(swap.id)) as SubmarineSwap;
      expect(done.status).toBe("refunded");
      expect(done.refundedFrom).toBe("funding_rejected");
      expect(done.refundTxid).not.toBeNull();
      // the API keeps Boltz's failure status after the refund, with the refund as the transaction
      expect(await h.service.status(swap.id)).toMatchObject({
        status: "transaction.lockupFailed",
        transaction: { id: done.refundTxid },
      });
      expect(h.ark.walletBalance("wallet")).toBe(0n);
      expect(h.ark.gatewaySats).toBe(START_ARK);
    },
  );

  it("accepts an overpayment within tolerance (expected + 10 000 sats)", async () => {
    const { swap } = await createFunded(50_000_000n, (e) => [e + 10_000n]);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("claimed");
    expect(h.ark.gatewaySats - START_ARK).toBe(60_050n);
  });

  it("payment definitively fails → payment_failed → cooperative refund allowed (invariant 1: LND says failed)", async () => {
    const inv = h.ln.addExternalInvoice({ behaviour: "fail" });
    const created = await h.service.createSubmarine({
      invoice: inv.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    const swap = await h.swap(created.id);
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("payment_failed");
    expect((await h.service.status(swap.id)).status).toBe("invoice.failedToPay");
    const signed = await h.service.refundArk(swap.id, { transaction: "psbt:refund", checkpoint: "psbt:cp" });
    expect(signed).toEqual({ transaction: "psbt:refund+gateway", checkpoint: "psbt:cp+gateway" });
    const after = (await h.swap(swap.id)) as SubmarineSwap;
    expect(after.refundSignedAt).toBeInstanceOf(Date);
    expect(await h.events(swap.id)).toContain("refund_cosigned");
    h.ark.walletRefund("wallet", swap.lockupScript);
    await h.tick();
    const done = (await h.swap(swap.id)) as SubmarineSwap;
    expect(done.status).toBe("refunded");
    expect(done.refundedFrom).toBe("payment_failed");
    expect(done.refundTxid).not.toBeNull();
    expect((await h.events(swap.id)).at(-1)).toBe("vhtlc_refunded");
    // Boltz keeps invoice.failedToPay after the refund (transaction.refunded is reverse/chain only)
    expect(await h.service.status(swap.id)).toMatchObject({
      status: "invoice.failedToPay",
      transaction: { id: done.refundTxid },
    });
    expect(h.ark.walletBalance("wallet")).toBe(0n);
    expect(h.ln.gatewayMsat).toBe(0n);
    expect(h.ark.gatewaySats).toBe(START_ARK);
  });

  it("invariant 1: refuses to co-sign a refund while LND says the payment is in flight or succeeded, even if the DB says failed", async () => {
    const inv = h.ln.addExternalInvoice({ behaviour: "hold" });
    const created = await h.service.createSubmarine({
      invoice: inv.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    const swap = await h.swap(created.id);
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("paying");
    const refund = () => h.service.refundArk(swap.id, { transaction: "psbt:r", checkpoint: "psbt:c" });
    await expect(refund()).rejects.toSatisfy(rejectsWith("swap.refund_not_allowed"));
    // a corrupted / racing DB view says failed, LND still has the payment in flight: still refused
    await h.store.transition({
      id: swap.id,
      type: "submarine",
      from: "paying",
      to: "payment_failed",
      event: "test_forced",
    });
    await expect(refund()).rejects.toSatisfy(rejectsWith("swap.refund_not_allowed"));
    h.ln.resolvePayment(swap.paymentHash, "succeed");
    await expect(refund()).rejects.toSatisfy(rejectsWith("swap.refund_not_allowed"));
    expect(h.ark.cosigned).toEqual([]);
    expect(((await h.swap(swap.id)) as SubmarineSwap).refundSignedAt).toBeNull();
  });

  it("invariant 1: never pays after a refund was signed (the pay step checks the durable fact)", async () => {
    const inv = h.ln.addExternalInvoice();
    const created = await h.service.createSubmarine({
      invoice: inv.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    const swap = await h.swap(created.id);
    // force the impossible: a funded swap that already carries a signed refund
    await h.store.transition({
      id: swap.id,
      type: "submarine",
      from: "awaiting_funding",
      to: "funded",
      event: "test_forced",
      patch: { refundSignedAt: new Date() },
    });
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.tick();
    expect(h.ln.payCalls).toHaveLength(0);
    expect((await h.swap(swap.id)).status).toBe("payment_failed");
    // and in paying (e.g. forced by a racing process) it still never starts a payment
    const other = h.ln.addExternalInvoice();
    const c2 = await h.service.createSubmarine({
      invoice: other.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    await h.store.transition({
      id: c2.id,
      type: "submarine",
      from: "awaiting_funding",
      to: "paying",
      event: "test_forced",
      patch: { refundSignedAt: new Date() },
    });
    await h.tick();
    expect(h.ln.payCalls).toHaveLength(0);
    expect((await h.swap(c2.id)).status).toBe("payment_failed");
  });

  it("refuses a refund in a status that does not allow it (awaiting funding)", async () => {
    const inv = h.ln.addExternalInvoice();
    const created = await h.service.createSubmarine({
      invoice: inv.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    await expect(
      h.service.refundArk(created.id, { transaction: "psbt:r", checkpoint: "psbt:c" }),
    ).rejects.toSatisfy(rejectsWith("swap.refund_not_allowed"));
  });

  it("unfunded until the invoice expires → expired; funding after that is refused, never paid", async () => {
    const inv = h.ln.addExternalInvoice({ expiresAt: new Date(h.chain.now().getTime() + 600_000) });
    const created = await h.service.createSubmarine({
      invoice: inv.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    h.chain.advance(600_001);
    await h.tick();
    expect((await h.swap(created.id)).status).toBe("expired");
    expect((await h.service.status(created.id)).status).toBe("swap.expired");
  });

  it("unfunded while the chain reaches the refund locktime's CLTV budget → expired, even with the invoice alive", async () => {
    const inv = h.ln.addExternalInvoice({ expiresAt: new Date(h.chain.now().getTime() + 86_400_000) });
    const created = await h.service.createSubmarine({
      invoice: inv.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    const swap = await h.swap(created.id);
    await h.tick();
    expect((await h.swap(created.id)).status).toBe("awaiting_funding");
    h.chain.mine(Number(swap.refundLocktime) - h.chain.height);
    await h.tick();
    expect((await h.swap(created.id)).status).toBe("expired");
    expect((await h.swap(created.id)).failureReason).toBe("refund locktime reached unfunded");
    expect(h.ln.payCalls).toHaveLength(0);
  });

  it("unfunded while LND is unreachable: stays awaiting funding (an unknown tip is never taken for an expiry)", async () => {
    const inv = h.ln.addExternalInvoice({ expiresAt: new Date(h.chain.now().getTime() + 86_400_000) });
    const created = await h.service.createSubmarine({
      invoice: inv.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    h.ln.failNext("getHeight");
    await h.tick();
    expect((await h.swap(created.id)).status).toBe("awaiting_funding");
  });

  it("funded just as the invoice expired: refused, not paid", async () => {
    const inv = h.ln.addExternalInvoice({ expiresAt: new Date(h.chain.now().getTime() + 600_000) });
    const created = await h.service.createSubmarine({
      invoice: inv.bolt11,
      refundPublicKey: pubkeyFor("wallet"),
    });
    const swap = await h.swap(created.id);
    h.chain.advance(600_001);
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("funding_rejected");
    expect(h.ln.payCalls).toHaveLength(0);
  });

  it("a hint while the database is unreachable is logged, never an unhandled rejection; the next one resumes", async () => {
    const { swap } = await createFunded();
    const find = h.store.find.bind(h.store);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      (h.store as { find: typeof find }).find = () => Promise.reject(new Error("database restarting"));
      h.engine.kick(swap.id);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      (h.store as { find: typeof find }).find = find;
      process.off("unhandledRejection", onUnhandled);
    }
    h.engine.kick(swap.id);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("claimed");
  });

  it("concurrent hints on one swap serialize: one payment, one claim, each event once (invariants 4 and 5)", async () => {
    const { swap } = await createFunded();
    for (let i = 0; i < 10; i += 1) h.engine.kick(swap.id);
    await Promise.all([h.engine.reconcileNow(), h.engine.advance(swap.id), h.engine.advance(swap.id)]);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("claimed");
    expect(h.ln.payCalls).toHaveLength(1);
    expect(h.ark.claims).toHaveLength(1);
    const events = await h.events(swap.id);
    expect(new Set(events).size).toBe(events.length);
  });

  it("invariant 4: a stale transition (old status or version) changes nothing", async () => {
    const { swap } = await createFunded();
    await h.settle();
    const claimed = await h.swap(swap.id);
    const before = await h.events(swap.id);
    const applied = await h.store.transition({
      id: swap.id,
      type: "submarine",
      from: "funded",
      to: "paying",
      event: "payment_started",
      expectedVersion: swap.version,
    });
    expect(applied).toBeUndefined();
    expect(await h.swap(swap.id)).toEqual(claimed);
    expect(await h.events(swap.id)).toEqual(before);
  });
});

describe("submarine funding must stay live offchain until the payment starts", () => {
  const MARKS = [
    ["unrolled onchain", (op: string) => h.ark.unroll(op)],
    ["swept", (op: string) => h.ark.sweep(op)],
  ] as const;

  async function created() {
    const inv = h.ln.addExternalInvoice();
    const c = await h.service.createSubmarine({ invoice: inv.bolt11, refundPublicKey: pubkeyFor("wallet") });
    return { expected: c.expectedAmountSats, swap: (await h.swap(c.id)) as SubmarineSwap };
  }

  it.each(MARKS)("a funding VTXO %s when it is detected is never accepted nor paid", async (_what, mark) => {
    const { expected, swap } = await created();
    mark(h.ark.walletSend("wallet", swap.lockupScript, expected)); // before the hint arrives
    await h.tick();
    expect((await h.swap(swap.id)).status).toBe("awaiting_funding");
    expect(await h.events(swap.id)).toEqual(["created"]);
    expect(h.ln.payCalls).toHaveLength(0);
  });

  it.each(MARKS)(
    "a funding VTXO %s after it was accepted, before paying: no payment, funding_rejected, refund co-signable",
    async (what, mark) => {
      const { expected, swap } = await created();
      h.ln.failNext("getPayment"); // LND unreachable when deciding to pay: the swap waits in funded
      const outpoint = h.ark.walletSend("wallet", swap.lockupScript, expected);
      await h.settle();
      expect((await h.swap(swap.id)).status).toBe("funded");
      mark(outpoint);
      await h.tick();
      const after = await h.swap(swap.id);
      expect(after.status).toBe("funding_rejected");
      expect(after.failureReason).toBe(`funding VTXO ${what}`);
      expect((await h.events(swap.id)).slice(-2)).toEqual(["funding_accepted", "funding_lost"]);
      expect(h.ln.payCalls).toHaveLength(0);
      expect(h.ln.gatewayMsat).toBe(0n);
      await h.service.refundArk(swap.id, { transaction: "psbt:refund", checkpoint: "psbt:cp" });
      expect(h.ark.cosigned).toEqual([swap.lockupScript]);
    },
  );

  it("arkd's indexer unreachable when deciding to pay (read side by side with LND's record): no payment, waits in funded, pays on the next run", async () => {
    const { expected, swap } = await created();
    h.ln.failNext("getPayment"); // stops the first run in funded
    h.ark.walletSend("wallet", swap.lockupScript, expected);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("funded");
    h.ark.failNext("vtxosAt"); // the funding re-read fails while LND answers "no payment"
    await h.tick();
    expect((await h.swap(swap.id)).status).toBe("funded");
    expect(h.ln.payCalls).toHaveLength(0);
    await h.tick();
    expect((await h.swap(swap.id)).status).toBe("claimed");
    expect(h.ln.payCalls).toHaveLength(1);
  });

  it("LND already paying when arkd's indexer is unreachable: followed (payment_started), never started twice", async () => {
    const { expected, swap } = await created();
    h.ln.failNext("getPayment");
    h.ark.walletSend("wallet", swap.lockupScript, expected);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("funded");
    // a payment LND started before a crash (the status was not written): LND knows it
    h.ln.payInvoice({
      bolt11: swap.invoice,
      maxFeeSats: swap.routingFeeBudgetSats,
      maxTimeoutHeight: Number(swap.maxTimeoutHeight),
      timeoutSeconds: 60,
      maxPaths: 1,
    });
    await h.settle();
    h.ark.failNext("vtxosAt");
    await h.tick();
    const events = await h.events(swap.id);
    expect(events[events.indexOf("funding_accepted") + 1]).toBe("payment_started");
    expect(h.ln.payCalls).toHaveLength(1);
  });

  it("resumed in paying with no payment at LND (a crash before paying), funding unrolled meanwhile: never paid", async () => {
    const { expected, swap } = await created();
    const outpoint = h.ark.walletSend("wallet", swap.lockupScript, expected);
    h.ark.unroll(outpoint);
    await h.store.transition({
      id: swap.id,
      type: "submarine",
      from: "awaiting_funding",
      to: "paying",
      event: "test_forced",
      patch: { fundingOutpoints: [outpoint], receivedAmountSats: expected },
    });
    await h.tick();
    const after = await h.swap(swap.id);
    expect(after.status).toBe("funding_rejected");
    expect(after.failureReason).toBe("funding VTXO unrolled onchain");
    expect(h.ln.payCalls).toHaveLength(0);
  });
});
