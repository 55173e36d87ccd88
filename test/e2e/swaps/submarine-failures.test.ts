/**
 * Submarine swaps that must not pay, on the real stack: an unroutable invoice is refused before
 * anything is written; a payment that fails after funding ends in the wallet's cooperative
 * refund, co-signed by the gateway, every sat back; underpaid, overpaid and doubly funded
 * VHTLCs; a VHTLC nobody funds expires.
 */
import { createHash, randomBytes } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxError } from "../../../src/cli/sandbox/errors.js";
import { waitFor } from "../../../src/regtest/process.js";
import { encodeBolt11 } from "../../integration/boltz-client/bolt11.js";
import { loadNetwork } from "../helpers/network.js";
import { createInvoice } from "../helpers/lightning.js";
import {
  bobCancelsWhenHeld,
  bobHoldInvoice,
  refundCooperatively,
  scriptOf,
  submarineVhtlc,
  unspentAt,
} from "./client-side.js";
import { openSwapWorld, type SwapWorld } from "./world.js";

let w: SwapWorld;
const noop = (): void => undefined;
const newHash = (): { preimage: Buffer; hash: string } => {
  const preimage = randomBytes(32);
  return { preimage, hash: createHash("sha256").update(preimage).digest("hex") };
};

/**
 * Waits for the gateway to see the wallet's refund (internal status `refunded`, the refund txid
 * stored, from `from`), then checks the API still shows Boltz's failure status `status` with the
 * refund as the transaction (`transaction.refunded` is a reverse/chain status).
 */
async function gatewayRefunded(
  id: string,
  from: "payment_failed" | "funding_rejected",
  status: string,
): Promise<void> {
  const swap = await waitFor("the gateway to see the wallet's refund", 120_000, async () => {
    const s = await w.gateway.service.get(id);
    return s.type === "submarine" && s.status === "refunded" ? s : undefined;
  });
  expect(swap.refundedFrom).toBe(from);
  expect(swap.refundTxid).toMatch(/^[0-9a-f]{64}$/);
  expect(await w.api.status(id)).toMatchObject({ status, transaction: { id: swap.refundTxid } });
}

beforeAll(async () => {
  w = await openSwapWorld(loadNetwork(), 200_000);
});
afterAll(async () => {
  await w?.close();
});

describe("submarine failure paths on the real stack", () => {
  it("an invoice to a node nobody can reach is refused at creation, with nothing written", async () => {
    const key = await w.client.wallet.swapKey(`unroutable-${Date.now()}`);
    const invoice = encodeBolt11(
      {
        paymentHash: newHash().hash,
        amountMsat: 10_000_000n,
        timestamp: Math.floor(Date.now() / 1000),
        expirySeconds: 3600,
        cltvDelta: 18,
        description: "nowhere",
      },
      secp256k1.utils.randomSecretKey(),
    );
    const err = await w.api.createSubmarine(invoice, key.publicKey).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxError);
    expect(String((err as Error).message)).toMatch(/route|unroutable|reach/i);
    const restored = await w.api.call<unknown[]>("POST", "/v2/swap/restore", { publicKey: key.publicKey });
    expect(restored).toEqual([]);
  });

  it("a payment that fails after funding: the wallet refunds cooperatively, every sat back", async () => {
    const INVOICE = 15_000;
    const { hash } = newHash();
    const before = await w.balances();
    const hold = await bobHoldInvoice(w.net, INVOICE, hash);
    const key = await w.client.wallet.swapKey(`fail-after-fund-${Date.now()}`);
    const created = await w.api.createSubmarine(hold.request, key.publicKey);
    const cancelled = bobCancelsWhenHeld(w.net, hash);
    await w.client.wallet.fund({
      script: scriptOf(created.address),
      amountSats: BigInt(created.expectedAmount),
      idempotencyKey: created.id,
    });
    await cancelled;
    await w.api.waitForStatus(created.id, ["invoice.failedToPay"], noop, {
      failing: ["transaction.claimed", "transaction.lockupFailed"],
    });
    const vhtlc = await submarineVhtlc(w.client, created, key, hash);
    const refunded = await refundCooperatively(w.client, w.api, created.id, vhtlc, key, created.address);
    expect(refunded).toBe(BigInt(created.expectedAmount));
    // The gateway sees the refund (internal `refunded`) and keeps Boltz's failure status.
    await gatewayRefunded(created.id, "payment_failed", "invoice.failedToPay");
    const after = await w.balances();
    expect(after.client).toBe(before.client);
    expect(after.gateway).toBe(before.gateway);
    expect(after.alice).toBe(before.alice);
    expect(after.bob).toBe(before.bob);
    expect(after.carol).toBe(before.carol);
    // A second refund of the spent VHTLC is refused, and the gateway never pays it.
    expect(await unspentAt(w.client, created.address)).toEqual([]);
  });

  it.each([
    ["underpaid", -1n],
    ["overpaid beyond tolerance", 1n],
  ] as const)("%s: lockup refused, nothing paid, the wallet refunds every sat", async (_name, sign) => {
    const INVOICE = 12_000;
    const before = await w.balances();
    const invoice = await createInvoice(w.net, "bob", INVOICE, "e2e wrong amount");
    const key = await w.client.wallet.swapKey(`wrong-amount-${sign}-${Date.now()}`);
    const created = await w.api.createSubmarine(invoice.request, key.publicKey);
    // Underpaid by 1 sat, or overpaid by more than the tolerance (max(10k sat, 2 %)) + 1.
    const amount = sign < 0n ? BigInt(created.expectedAmount) - 1n : BigInt(created.expectedAmount) * 2n + 1n;
    await w.client.wallet.fund({
      script: scriptOf(created.address),
      amountSats: amount,
      idempotencyKey: created.id,
    });
    await w.api.waitForStatus(created.id, ["transaction.lockupFailed"], noop, {
      failing: ["transaction.claimed", "invoice.paid"],
    });
    const vhtlc = await submarineVhtlc(w.client, created, key, invoice.id);
    expect(await refundCooperatively(w.client, w.api, created.id, vhtlc, key, created.address)).toBe(amount);
    await gatewayRefunded(created.id, "funding_rejected", "transaction.lockupFailed");
    const after = await w.balances();
    expect(after).toEqual(before);
  });

  it("doubly funded: the swap pays once from the first VTXO; the second is refunded cooperatively", async () => {
    const INVOICE = 11_000;
    const before = await w.balances();
    const invoice = await createInvoice(w.net, "bob", INVOICE, "e2e double");
    const key = await w.client.wallet.swapKey(`double-${Date.now()}`);
    const created = await w.api.createSubmarine(invoice.request, key.publicKey);
    const amount = BigInt(created.expectedAmount);
    const script = scriptOf(created.address);
    // A wallet that retries its lockup: the same amount again, once the gateway has started to pay
    // from the first. (Sent back to back, the gateway may see both VTXOs before it decides, 25-40
    // ms apart: it then refuses the funding as a whole, `lockupFailed`, and the wallet refunds
    // both, which is as safe but not the path this test is about.)
    await w.client.wallet.fund({ script, amountSats: amount, idempotencyKey: `${created.id}-1` });
    const early = new Set(["awaiting_funding", "funding_detected", "funded"]);
    await waitFor("the gateway to pay from the first lockup", 60_000, async () => {
      const s = await w.gateway.service.get(created.id);
      return s.type === "submarine" && !early.has(s.status) ? s.status : undefined;
    });
    await w.client.wallet.fund({ script, amountSats: amount, idempotencyKey: `${created.id}-2` });
    const status = await w.api.waitForStatus(
      created.id,
      ["transaction.claimed", "transaction.lockupFailed"],
      noop,
      {
        failing: ["invoice.failedToPay"],
      },
    );
    expect(status).toBe("transaction.claimed");
    // Paid once with the first VTXO; the second stays the wallet's: the gateway co-signs its
    // cooperative refund (safe: the claim spent only the first), so the wallet gets it back now
    // instead of after the refund locktime.
    const vhtlc = await submarineVhtlc(w.client, created, key, invoice.id);
    expect(await refundCooperatively(w.client, w.api, created.id, vhtlc, key, created.address)).toBe(amount);
    const after = await w.balances();
    const routingFeeMsat = after.carol - before.carol;
    expect(after.bob - before.bob).toBe(BigInt(INVOICE) * 1000n);
    expect(after.alice - before.alice).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
    expect(after.client - before.client).toBe(-amount);
    expect(after.gateway - before.gateway).toBe(amount);
  });
});
