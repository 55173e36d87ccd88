/**
 * Invariant 5: a crash at any point resumes. Each test drops the engine as a kill -9 would (no
 * stop; its streams and listeners severed) at one point of a flow, starts a new engine on the same
 * database and fakes, and checks the swap ends in success with every satoshi accounted for.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { ReverseSwap, SubmarineSwap } from "../../../src/domain/swap-records.js";
import { preimagePair, pubkeyFor } from "../../fakes/keys.js";
import { createHarness, type Harness } from "./harness.js";

const START_ARK = 10_000_000n;
let h: Harness;
const harnesses: Harness[] = [];

beforeEach(async () => {
  h = await createHarness("crash");
  harnesses.push(h);
});
afterAll(async () => {
  for (const x of harnesses) {
    await x.engine.stop();
    await x.db.destroy();
  }
});

async function submarine(behaviour: "succeed" | "hold" = "succeed") {
  const inv = h.ln.addExternalInvoice({ behaviour });
  const created = await h.service.createSubmarine({
    invoice: inv.bolt11,
    refundPublicKey: pubkeyFor("wallet"),
  });
  return { inv, created, swap: (await h.swap(created.id)) as SubmarineSwap };
}

function expectSubmarineSettledOnce(swap: SubmarineSwap) {
  expect(h.ln.payeeMsat).toBe(50_000_000n);
  expect(h.ln.gatewayMsat).toBe(-50_002_000n);
  expect(h.ark.walletBalance("wallet")).toBe(-50_050n);
  expect(h.ark.gatewaySats - START_ARK).toBe(50_050n);
  expect(h.ark.lockedAt(swap.lockupScript)).toBe(0n);
}

describe("crash-resume, submarine (invariants 5 and 6)", () => {
  it("crash at funded, payment not started → new engine pays once and claims", async () => {
    const { created, swap } = await submarine();
    h.ln.failNext("getPayment"); // the funded step cannot reach LND: the swap stays funded
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("funded");
    expect(h.ln.payCalls).toHaveLength(0);
    await h.crash();
    expect((await h.swap(swap.id)).status).toBe("claimed");
    expect(h.ln.payCalls).toHaveLength(1);
    expectSubmarineSettledOnce(swap);
  });

  it("crash with the payment in flight; it succeeds while no engine runs → new engine stores the preimage, claims", async () => {
    const { inv, created, swap } = await submarine("hold");
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("paying");
    h.ln.sever();
    h.ln.resolvePayment(swap.paymentHash, "succeed");
    await h.crash();
    expect((await h.swap(swap.id)).status).toBe("claimed");
    expect(h.ln.payCalls).toHaveLength(1); // resumed from LND's record, never paid twice
    expect(await h.store.findPreimage(swap.paymentHash)).toBe(inv.preimage);
    expectSubmarineSettledOnce(swap);
  });

  it("crash with the payment in flight; it fails meanwhile → payment_failed → refund; nothing lost", async () => {
    const { created, swap } = await submarine("hold");
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.settle();
    h.ln.sever();
    h.ln.resolvePayment(swap.paymentHash, "fail");
    await h.crash();
    expect((await h.swap(swap.id)).status).toBe("payment_failed");
    await h.service.refundArk(swap.id, { transaction: "psbt:r", checkpoint: "psbt:c" });
    h.ark.walletRefund("wallet", swap.lockupScript);
    await h.tick();
    expect((await h.swap(swap.id)).status).toBe("refunded");
    expect(h.ark.walletBalance("wallet")).toBe(0n);
    expect(h.ln.gatewayMsat).toBe(0n);
    expect(h.ark.gatewaySats).toBe(START_ARK);
  });

  it("crash with the preimage known but the VHTLC not claimed → new engine claims with the stored preimage", async () => {
    const { created, swap } = await submarine();
    h.ark.failNext("claimVhtlc");
    h.ark.walletSend("wallet", swap.lockupScript, created.expectedAmountSats);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("claiming");
    expect(await h.store.findPreimage(swap.paymentHash)).toBeDefined();
    await h.crash();
    expect((await h.swap(swap.id)).status).toBe("claimed");
    expect(h.ark.claims).toHaveLength(1);
    expectSubmarineSettledOnce(swap);
  });
});

describe("crash-resume, reverse (invariants 5 and 6)", () => {
  async function reverse() {
    const secret = preimagePair();
    const created = await h.service.createReverse({
      invoiceAmountSats: 100_000n,
      claimPublicKey: pubkeyFor("wallet"),
      preimageHash: secret.paymentHash,
    });
    return { ...secret, created, swap: (await h.swap(created.id)) as ReverseSwap };
  }

  function expectReverseSettledOnce() {
    expect(h.ln.payerMsat).toBe(-100_000_000n);
    expect(h.ln.gatewayMsat).toBe(100_000_000n);
    expect(START_ARK - h.ark.gatewaySats).toBe(99_750n);
    expect(h.ark.walletBalance("wallet")).toBe(99_750n);
    expect(h.ln.forceClosed).toEqual([]);
  }

  it("crash after arkd funded but before the engine recorded it → resumes in `funding`, funds once (idempotent)", async () => {
    const { swap, preimage, paymentHash } = await reverse();
    await h.settle();
    // from here the old process hears nothing more: one run of its steps, then it "dies"
    h.ln.sever();
    h.ark.sever();
    h.ark.crashAfterNextFund = true;
    h.ln.payHoldInvoice(paymentHash);
    await h.engine.advance(swap.id);
    expect((await h.swap(swap.id)).status).toBe("funding");
    expect(h.ark.fundCalls).toHaveLength(1);
    await h.crash();
    expect((await h.swap(swap.id)).status).toBe("funded");
    expect(START_ARK - h.ark.gatewaySats).toBe(99_750n); // funded exactly once
    // the new engine saw the VTXO at the script first and did not even ask again
    expect(h.ark.fundCalls.map((c) => c.idempotencyKey)).toEqual([swap.id]);
    h.ark.walletClaim("wallet", swap.lockupScript, preimage, paymentHash);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("settled");
    expectReverseSettledOnce();
  });

  it("crash while funded and the payer's HTLC in flight; the wallet claims while no engine runs → settled", async () => {
    const { swap, preimage, paymentHash } = await reverse();
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("funded");
    h.ark.sever();
    h.ln.sever();
    h.ark.walletClaim("wallet", swap.lockupScript, preimage, paymentHash);
    await h.crash();
    expect((await h.swap(swap.id)).status).toBe("settled");
    expect(h.ln.settleCalls).toEqual([preimage]);
    expectReverseSettledOnce();
  });

  it("crash with the preimage stored but the invoice not settled → new engine settles", async () => {
    const { swap, preimage, paymentHash } = await reverse();
    h.ln.payHoldInvoice(paymentHash);
    await h.settle();
    h.ln.failNext("settleHoldInvoice");
    h.ark.walletClaim("wallet", swap.lockupScript, preimage, paymentHash);
    await h.settle();
    expect((await h.swap(swap.id)).status).toBe("preimage_learned");
    expect(await h.store.findPreimage(paymentHash)).toBe(preimage);
    await h.crash();
    expect((await h.swap(swap.id)).status).toBe("settled");
    expectReverseSettledOnce();
  });
});
