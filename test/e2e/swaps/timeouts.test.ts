/**
 * Swaps that end by time on the real stack: a submarine VHTLC nobody funds expires with its
 * invoice; a reverse hold invoice nobody pays expires; a reverse VHTLC the wallet never claims is
 * taken back by the gateway (refundWithoutReceiver) once blocks pass its refund locktime, and the
 * held payment is cancelled back to the payer before its HTLC deadline; a submarine VHTLC whose
 * gateway is down is taken back by the wallet alone (refundWithoutReceiver) after its locktime.
 * Every party's balance is checked to the sat (LN to the msat).
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lnService } from "../../../src/regtest/ln-client.js";
import { waitFor } from "../../../src/regtest/process.js";
import { loadNetwork } from "../helpers/network.js";
import { btcdOf, mine } from "../helpers/chain.js";
import { createInvoice, lndOf, payInvoice } from "../helpers/lightning.js";
import { scriptOf, submarineVhtlc, unspentAt } from "./client-side.js";
import { openSwapWorld, type SwapWorld } from "./world.js";

let w: SwapWorld;
const noop = (): void => undefined;

beforeAll(async () => {
  w = await openSwapWorld(loadNetwork(), 150_000, {
    settings: { reverseInvoiceExpirySeconds: 60 },
    engine: { minInvoiceExpirySeconds: 10 },
  });
});
afterAll(async () => {
  await w?.close();
});

/** Mines one block at a time until `done` holds (arkd and LND follow the tip on their own). */
async function mineUntil(what: string, done: () => Promise<boolean>, maxBlocks = 20): Promise<void> {
  for (let i = 0; i < maxBlocks; i++) {
    if (await done()) return;
    await mine(w.net, 1);
    await new Promise((r) => setTimeout(r, 1_500));
  }
  if (!(await done())) throw new Error(`${what}: not after ${maxBlocks} more blocks`);
}

describe("swaps that end by time, on the real stack", () => {
  it("submarine nobody funds: swap.expired with its invoice, nothing moves", async () => {
    const before = await w.balances();
    const ln = lnService() as unknown as { createInvoice(a: object): Promise<{ request: string }> };
    const invoice = await ln.createInvoice({
      lnd: lndOf(w.net, "bob"),
      tokens: 5_000,
      description: "e2e expires",
      expires_at: new Date(Date.now() + 15_000).toISOString(),
    });
    const key = await w.client.wallet.swapKey(`unfunded-${Date.now()}`);
    const created = await w.api.createSubmarine(invoice.request, key.publicKey);
    await w.api.waitForStatus(created.id, ["swap.expired"], noop, { timeoutMs: 60_000 });
    expect(await unspentAt(w.client, created.address)).toEqual([]);
    expect(await w.balances()).toEqual(before);
  });

  it("reverse nobody pays: the hold invoice expires, nothing moves", async () => {
    const before = await w.balances();
    const preimage = randomBytes(32);
    const key = await w.client.wallet.swapKey(`unpaid-${Date.now()}`);
    const created = await w.api.createReverse(
      8_000,
      createHash("sha256").update(preimage).digest("hex"),
      key.publicKey,
    );
    await w.api.waitForStatus(created.id, ["invoice.expired", "swap.expired"], noop, { timeoutMs: 120_000 });
    expect(await unspentAt(w.client, created.lockupAddress)).toEqual([]);
    expect(await w.balances()).toEqual(before);
  });

  it("reverse paid but never claimed: the gateway refunds after the locktime and cancels the held payment", async () => {
    const INVOICE = 9_000;
    const before = await w.balances();
    const preimage = randomBytes(32);
    const key = await w.client.wallet.swapKey(`unclaimed-${Date.now()}`);
    const created = await w.api.createReverse(
      INVOICE,
      createHash("sha256").update(preimage).digest("hex"),
      key.publicKey,
    );
    const payment = payInvoice(w.net, "bob", created.invoice).then(
      () => "settled",
      () => "failed",
    );
    await w.api.waitForStatus(created.id, ["transaction.mempool", "transaction.confirmed"], noop);
    const locked = await unspentAt(w.client, created.lockupAddress);
    expect(locked.reduce((s, v) => s + v.amountSats, 0n)).toBe(BigInt(created.onchainAmount));
    const heights = await w.api.call<{ BTC: number }>("GET", "/v2/chain/heights");
    if (created.timeoutBlockHeights.refund > heights.BTC)
      await mine(w.net, created.timeoutBlockHeights.refund - heights.BTC);
    await mineUntil("the gateway's refund", async () => {
      const { status } = await w.api.status(created.id);
      return status === "transaction.refunded";
    });
    expect(await payment).toBe("failed");
    expect(await unspentAt(w.client, created.lockupAddress)).toEqual([]);
    const after = await w.balances();
    expect(after).toEqual(before);
  });

  it("submarine with the gateway down: the wallet refunds alone (refundWithoutReceiver) after the locktime", async () => {
    const before = await w.balances();
    const invoice = await createInvoice(w.net, "bob", 7_000, "e2e gateway down");
    const key = await w.client.wallet.swapKey(`gateway-down-${Date.now()}`);
    const created = await w.api.createSubmarine(invoice.request, key.publicKey);
    const vhtlc = await submarineVhtlc(w.client, created, key, invoice.id);
    await w.gateway.stop();
    try {
      await w.client.wallet.fund({
        script: scriptOf(created.address),
        amountSats: BigInt(created.expectedAmount),
        idempotencyKey: created.id,
      });
      // arkd's indexer lists the VTXO a moment after the spend is finalized
      const vtxos = await waitFor("the indexer to list the funded VHTLC", 30_000, async () => {
        const listed = await unspentAt(w.client, created.address);
        return listed.length > 0 ? listed : undefined;
      });
      expect(vtxos.reduce((s, v) => s + v.amountSats, 0n)).toBe(BigInt(created.expectedAmount));
      const tip = await btcdOf(w.net).height();
      if (created.timeoutBlockHeights.refund >= tip)
        await mine(w.net, created.timeoutBlockHeights.refund - tip + 1);
      await waitFor(
        "the wallet's refundWithoutReceiver",
        120_000,
        async () => {
          try {
            await w.client.wallet.refundVhtlc({ vhtlc, keyIndex: key.index, vtxos });
            return true;
          } catch {
            await mine(w.net, 1);
            return undefined;
          }
        },
        3_000,
      );
    } finally {
      await w.restartGateway();
    }
    expect(await unspentAt(w.client, created.address)).toEqual([]);
    // Back up, the gateway sees the VHTLC spent by the wallet and never pays the invoice.
    // (a refunded submarine swap keeps its failure status: invoice.failedToPay or lockupFailed)
    await w.api.waitForStatus(
      created.id,
      ["swap.expired", "transaction.lockupFailed", "invoice.failedToPay"],
      noop,
      {
        failing: ["transaction.claimed", "invoice.paid", "invoice.pending"],
      },
    );
    // Internally the gateway ended the swap without paying it: expired, or refunded / refusable.
    expect(["expired", "refunded", "funding_rejected", "payment_failed"]).toContain(
      (await w.gateway.service.get(created.id)).status,
    );
    const after = await w.balances();
    expect(after).toEqual(before);
  });
});
