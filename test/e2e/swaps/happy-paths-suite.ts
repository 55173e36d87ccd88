/**
 * Both swap flows end to end on btcd + LND + arkd + Postgres, through the gateway's HTTP API,
 * with every party's balance checked to the sat: the client's and the gateway's Ark balances,
 * alice's (the gateway's LND), carol's (the routing node, who earns the routing fee) and bob's.
 */
import { createHash, randomBytes } from "node:crypto";
import { hex } from "@scure/base";
import { vhtlcFromWire } from "../../../src/cli/sandbox/swaps.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeArkAddress } from "../../../src/ark/scripts/index.js";
import { createInvoice, payInvoice } from "../helpers/lightning.js";
import type { SwapWorld } from "./world.js";

const noop = (): void => undefined;
const scriptOf = (address: string): string => hex.encode(decodeArkAddress(address).pkScript);

/**
 * Registers both happy paths against the world `open` gives: the network's block-typed arkd
 * (happy-paths.test.ts) or the seconds-typed one (seconds-mode.test.ts).
 */
export function describeHappyPaths(
  name: string,
  mode: "blocks" | "seconds",
  open: () => Promise<SwapWorld>,
  close?: () => Promise<void>,
): void {
  /** The VHTLC refund locktime is a height in block mode, a unix time in seconds mode. */
  const expectLocktimeMode = (refund: number): void =>
    expect(refund >= 500_000_000 ? "seconds" : "blocks").toBe(mode);
  let w: SwapWorld;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.close();
    await close?.();
  });

  describe(name, () => {
    it("submarine: the client pays bob's invoice from Ark; every party's balance moves by the exact amount", async () => {
      const INVOICE = 20_000;
      const pairs = await w.api.call<{ ARK: { BTC: { fees: { percentage: number } } } }>(
        "GET",
        "/v2/swap/submarine",
      );
      const fee = BigInt(Math.ceil((INVOICE * pairs.ARK.BTC.fees.percentage) / 100));
      const before = await w.balances();
      const invoice = await createInvoice(w.net, "bob", INVOICE, "e2e submarine");
      const key = await w.client.wallet.swapKey(`e2e-sub-${Date.now()}`);
      const created = await w.api.createSubmarine(invoice.request, key.publicKey);
      expect(BigInt(created.expectedAmount)).toBe(BigInt(INVOICE) + fee);
      expectLocktimeMode(created.timeoutBlockHeights.refund);

      await w.client.wallet.fund({
        script: scriptOf(created.address),
        amountSats: BigInt(created.expectedAmount),
        idempotencyKey: created.id,
      });
      await w.api.waitForStatus(created.id, ["transaction.claimed"], noop, {
        failing: ["invoice.failedToPay", "swap.expired", "transaction.lockupFailed", "transaction.refunded"],
      });

      const after = await w.balances();
      const routingFeeMsat = after.carol - before.carol;
      expect(routingFeeMsat).toBeGreaterThanOrEqual(0n);
      expect(after.bob - before.bob).toBe(BigInt(INVOICE) * 1000n);
      expect(after.alice - before.alice).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
      expect(after.client - before.client).toBe(-BigInt(created.expectedAmount));
      expect(after.gateway - before.gateway).toBe(BigInt(created.expectedAmount));
      // The gateway's margin on this swap: its fee minus what routing cost it.
      expect((after.gateway - before.gateway) * 1000n + (after.alice - before.alice)).toBe(
        fee * 1000n - routingFeeMsat,
      );
    });

    it("reverse: bob pays the hold invoice, the client claims the VHTLC, the gateway settles", async () => {
      const INVOICE = 30_000;
      const pairs = await w.api.call<{
        BTC: { ARK: { fees: { percentage: number; minerFees: { claim: number; lockup: number } } } };
      }>("GET", "/v2/swap/reverse");
      const f = pairs.BTC.ARK.fees;
      const expectedOnchain =
        BigInt(INVOICE) -
        BigInt(Math.ceil((INVOICE * f.percentage) / 100)) -
        BigInt(f.minerFees.claim + f.minerFees.lockup);
      const before = await w.balances();
      const preimage = randomBytes(32);
      const paymentHash = createHash("sha256").update(preimage).digest("hex");
      const key = await w.client.wallet.swapKey(`e2e-rev-${Date.now()}`);
      const created = await w.api.createReverse(INVOICE, paymentHash, key.publicKey);
      expect(BigInt(created.onchainAmount)).toBe(expectedOnchain);
      expectLocktimeMode(created.timeoutBlockHeights.refund);

      const payment = payInvoice(w.net, "bob", created.invoice);
      payment.catch(noop);
      await w.api.waitForStatus(created.id, ["transaction.mempool", "transaction.confirmed"], noop, {
        failing: ["invoice.expired", "swap.expired", "transaction.failed", "transaction.refunded"],
      });
      const info = await w.client.wallet.serverInfo();
      const vhtlc = vhtlcFromWire({
        sender: created.refundPublicKey,
        receiver: key.publicKey,
        server: info.signerPubkey,
        paymentHash,
        timeouts: created.timeoutBlockHeights,
      });
      const vtxos = (await w.client.wallet.vtxosAt(scriptOf(created.lockupAddress))).filter(
        (v) => !v.isSpent,
      );
      expect(vtxos.reduce((s, v) => s + v.amountSats, 0n)).toBe(expectedOnchain);
      await w.client.wallet.claimVhtlc({
        vhtlc,
        keyIndex: key.index,
        vtxos,
        preimage: preimage.toString("hex"),
      });
      await w.api.waitForStatus(created.id, ["invoice.settled"], noop);
      const paid = await payment;

      const after = await w.balances();
      const routingFeeMsat = after.carol - before.carol;
      expect(BigInt(paid.fee_mtokens)).toBe(routingFeeMsat);
      expect(after.bob - before.bob).toBe(-(BigInt(INVOICE) * 1000n + routingFeeMsat));
      expect(after.alice - before.alice).toBe(BigInt(INVOICE) * 1000n);
      expect(after.gateway - before.gateway).toBe(-expectedOnchain);
      expect(after.client - before.client).toBe(expectedOnchain);
    });
  });
}
