import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { ReverseSwap } from "../../../src/domain/swap-records.js";
import { preimagePair, pubkeyFor } from "../../fakes/keys.js";
import { createHarness, type Harness } from "./harness.js";

const START_ARK = 10_000_000n;
let h: Harness;
const harnesses: Harness[] = [];

beforeEach(async () => {
  h = await createHarness("rev");
  harnesses.push(h);
});
afterAll(async () => {
  for (const x of harnesses) {
    await x.engine.stop();
    await x.db.destroy();
  }
});

async function createReverse(amountSats = 100_000n) {
  const secret = preimagePair();
  const created = await h.service.createReverse({
    invoiceAmountSats: amountSats,
    claimPublicKey: pubkeyFor("wallet"),
    preimageHash: secret.paymentHash,
  });
  const swap = (await h.swap(created.id)) as ReverseSwap;
  return { ...secret, created, swap };
}

describe("reverse swap (LN → Ark)", () => {
  it("happy path: held → funded → wallet claims → preimage checked and stored → settled; every sat accounted for", async () => {
    const { created, swap, preimage, paymentHash } = await createReverse();
    expect(created.onchainAmountSats).toBe(99_750n);
    expect(created.timeoutBlockHeights.refund).toBe(1_036n);
    expect(swap.holdInvoiceCltvDelta).toBe(47n);
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    const funded = (await h.swap(swap.id)) as ReverseSwap;
    expect(funded.status).toBe("funded");
    expect(await h.service.reverseLockup(swap.id)).toEqual({ id: funded.fundingTxid });
    expect(h.ark.fundCalls).toEqual([
      { script: swap.lockupScript, amountSats: 99_750n, idempotencyKey: swap.id, minBatchExpiry: 1_041n },
    ]);
    h.ark.walletClaim("wallet", swap.lockupScript, preimage, paymentHash);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("settled");
    expect(h.ln.settleCalls).toEqual([preimage]);
    expect(await h.events(swap.id)).toEqual([
      "created",
      "htlc_held",
      "funding_started",
      "funding_confirmed",
      "preimage_revealed",
      "invoice_settled",
    ]);
    expect((await h.service.status(swap.id)).status).toBe("invoice.settled");
    // payer −100 000 sats on LN to the gateway; the gateway −99 750 on Ark to the wallet
    expect(h.ln.payerMsat).toBe(-100_000_000n);
    expect(h.ln.gatewayMsat).toBe(100_000_000n);
    expect(START_ARK - h.ark.gatewaySats).toBe(99_750n);
    expect(h.ark.walletBalance("wallet")).toBe(99_750n);
    expect(h.ln.forceClosed).toEqual([]);
  });

  it("unpaid → invoice_expired at the invoice expiry (hold invoice cancelled, nothing funded)", async () => {
    const { swap, paymentHash } = await createReverse();
    h.chain.advance(3_599_000);
    await h.tick();
    expect((await h.swap(swap.id)).status).toBe("invoice_created");
    h.chain.advance(1_000);
    await h.tick();
    expect((await h.swap(swap.id)).status).toBe("invoice_expired");
    expect(h.ln.holdState(paymentHash)).toBe("canceled");
    expect(h.ark.fundCalls).toEqual([]);
    expect((await h.service.status(swap.id)).status).toBe("invoice.expired");
  });

  it("wallet never claims: refundWithoutReceiver after refundLocktime, hold invoice cancelled before its HTLC deadline", async () => {
    const { swap, paymentHash } = await createReverse();
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    const funded = (await h.swap(swap.id)) as ReverseSwap;
    expect(funded.htlcExpiryHeight).toBe(1_050n);
    for (let height = h.chain.height; height < 1_036; height += 1) {
      h.chain.mine();
      await h.tick();
    }
    expect(h.chain.height).toBe(1_036);
    const done = (await h.swap(swap.id)) as ReverseSwap;
    expect(done.status).toBe("refunded");
    expect(h.ark.refunds).toEqual([swap.lockupScript]);
    expect(h.ln.cancelCalls).toEqual([{ paymentHash, height: 1_036 }]);
    expect(h.ln.cancelCalls[0]!.height).toBeLessThan(Number(funded.htlcExpiryHeight) - 6);
    expect(h.ln.holdState(paymentHash)).toBe("canceled");
    expect(h.ark.gatewaySats).toBe(START_ARK);
    expect(h.ln.payerMsat).toBe(0n);
    expect(h.ln.forceClosed).toEqual([]);
  });

  it("refund keeps failing: the hold invoice is still cancelled at htlcExpiry − margin, before the HTLC deadline", async () => {
    const { swap, paymentHash } = await createReverse();
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    for (let i = 0; i < 20; i += 1) h.ark.failNext("refundVhtlc");
    while (h.chain.height < 1_045) {
      h.chain.mine();
      await h.tick();
    }
    expect((await h.swap(swap.id)).status).toBe("refunding");
    expect(h.ln.cancelCalls).toEqual([{ paymentHash, height: 1_044 }]);
    expect(h.ln.forceClosed).toEqual([]);
  });

  it("refunding: a VHTLC spent by the wallet's claim whose preimage is not readable yet is not taken for our refund", async () => {
    const { swap, preimage, paymentHash } = await createReverse();
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    for (let i = 0; i < 3; i += 1) h.ark.failNext("refundVhtlc");
    while (h.chain.height < 1_036) {
      h.chain.mine();
      await h.tick();
    }
    expect((await h.swap(swap.id)).status).toBe("refunding");
    // after refundLocktime the claim leaf still works: the wallet claims first, arkd is slow to show the tx
    h.ark.hideRevealedPreimage = true;
    h.ark.walletClaim("wallet", swap.lockupScript, preimage, paymentHash);
    await h.settle();
    await h.tick();
    expect(h.ln.holdState(paymentHash)).toBe("held");
    expect((await h.swap(swap.id)).status).toBe("refunding");
    h.ark.hideRevealedPreimage = false;
    await h.tick();
    expect((await h.swap(swap.id)).status).toBe("settled");
    expect(h.ln.settleCalls).toEqual([preimage]);
    expect(h.ln.gatewayMsat).toBe(100_000_000n);
  });

  it("refunding: our refund went through but the cancel failed → the next run recognises our refund and cancels", async () => {
    const { swap, paymentHash } = await createReverse();
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    h.ln.failNext("cancelHoldInvoice");
    while (h.chain.height < 1_036) {
      h.chain.mine();
      await h.tick();
    }
    expect(h.ark.refunds).toEqual([swap.lockupScript]);
    await h.tick();
    const done = (await h.swap(swap.id)) as ReverseSwap;
    expect(done.status).toBe("refunded");
    expect(h.ln.holdState(paymentHash)).toBe("canceled");
    expect(h.ark.gatewaySats).toBe(START_ARK);
  });

  it("invariant 2: settle is never called with a preimage that does not hash to the payment hash", async () => {
    const { swap, preimage, paymentHash } = await createReverse();
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    h.ark.revealWrongPreimage = true;
    h.ark.walletClaim("wallet", swap.lockupScript, preimage, paymentHash);
    await h.settle();
    await h.tick();
    expect(h.ln.settleCalls).toEqual([]);
    expect((await h.swap(swap.id)).status).toBe("funded");
    expect(await h.store.findPreimage(paymentHash)).toBeUndefined();
    // with the right preimage it settles
    h.ark.revealWrongPreimage = false;
    await h.tick();
    expect(h.ln.settleCalls).toEqual([preimage]);
    expect((await h.swap(swap.id)).status).toBe("settled");
  });

  it("invariant 2: never funds unless the hold invoice is held", async () => {
    const { swap, paymentHash } = await createReverse();
    await h.tick();
    expect(h.ark.fundCalls).toEqual([]);
    // a forced invoice_held while LND says open: the funding step asks LND and refuses
    await h.store.transition({
      id: swap.id,
      type: "reverse",
      from: "invoice_created",
      to: "invoice_held",
      event: "test_forced",
    });
    await h.tick();
    expect(h.ark.fundCalls).toEqual([]);
    expect((await h.swap(swap.id)).status).toBe("invoice_cancelled");
    expect(h.ln.holdState(paymentHash)).toBe("canceled");
  });

  it("invariant 3: a held HTLC expiring too close to the VHTLC refund is never funded, and cancelled", async () => {
    const { swap, paymentHash } = await createReverse();
    h.ln.payHoldInvoice(paymentHash, { cltvExpiry: 1_036 + 10 }); // not > refundLocktime + margin
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("invoice_cancelled");
    expect(h.ark.fundCalls).toEqual([]);
    expect(h.ln.holdState(paymentHash)).toBe("canceled");
    expect(h.ln.payerMsat).toBe(0n);
  });

  it("funding refused by the Ark wallet (insufficient VTXOs) → funding_failed → hold invoice cancelled", async () => {
    h.ark.gatewaySats = 1_000n;
    const { swap, paymentHash } = await createReverse();
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("invoice_cancelled");
    expect((await h.service.status(swap.id)).status).toBe("transaction.failed");
    expect(h.ln.holdState(paymentHash)).toBe("canceled");
  });

  it("a lockup that found every coin taken is funded as soon as the wallet frees a coin, not on the next tick", async () => {
    const [first, second] = [await createReverse(), await createReverse()];
    h.ark.coinsTaken = true;
    h.ln.payHoldInvoice(first.paymentHash);
    h.ln.payHoldInvoice(second.paymentHash);
    await h.settle();
    // both wait in funding (the ticker is off in this harness): nothing else would move them
    expect((await h.swap(first.swap.id)).status).toBe("funding");
    expect((await h.swap(second.swap.id)).status).toBe("funding");
    const tried = h.ark.fundCalls.length;
    expect(tried).toBeGreaterThanOrEqual(2);
    h.ark.coinsTaken = false;
    h.ark.freeCoins(1); // one coin: one waiting lockup is tried again
    await h.settle();
    expect(h.ark.fundCalls).toHaveLength(tried + 1);
    const statuses = [(await h.swap(first.swap.id)).status, (await h.swap(second.swap.id)).status];
    expect(statuses.sort()).toEqual(["funded", "funding"]);
    h.ark.freeCoins(5); // more coins than waiters: the other one, once
    await h.settle();
    expect((await h.swap(first.swap.id)).status).toBe("funded");
    expect((await h.swap(second.swap.id)).status).toBe("funded");
    expect(h.ark.fundCalls).toHaveLength(tried + 2);
    h.ark.freeCoins(1); // nobody waits any more: nothing runs
    await h.settle();
    expect(h.ark.fundCalls).toHaveLength(tried + 2);
  });

  it("concurrent invoice hints serialize: funded once (invariant 5)", async () => {
    const { swap, paymentHash } = await createReverse();
    h.ln.payHoldInvoice(paymentHash);
    for (let i = 0; i < 10; i += 1) h.engine.kick(swap.id);
    await Promise.all([h.engine.reconcileNow(), h.engine.advance(swap.id)]);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("funded");
    expect(h.ark.fundCalls).toHaveLength(1);
  });
});
