/**
 * Conformance of a LightningPort: the SAME cases run against the engine's fake LND
 * (test/unit/lightning/conformance.test.ts) and against our LND adapter on alice of the regtest
 * network (test/e2e/lightning-conformance.test.ts), so a fake that drifts from LND fails a test.
 *
 * Cases: hold invoices through their lifecycle (open → held → settled, open → held → canceled,
 * open → canceled) as getInvoice and subscribeToInvoice report them, repeated settles and cancels,
 * lookups of unknown hashes, and what decodeInvoice reads from our own hold invoice.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGatewayError } from "../../src/domain/errors.js";
import { codeOf } from "./error-code.js";
import type {
  CreateHoldInvoiceArgs,
  EventStream,
  PaymentEvent,
  HoldInvoice,
  InvoiceEvent,
  LightningPort,
  NodeInfo,
} from "../../src/swaps/ports/lightning.js";

/** A peer to check, and what the cases need beyond the port. */
export interface LightningConformanceWorld {
  /** The gateway's node. */
  readonly ln: LightningPort;
  /**
   * Another node starts paying `bolt11` (one of `ln`'s hold invoices) and keeps its HTLC in
   * flight until the invoice is settled or canceled. Resolves once the payment was sent off.
   */
  startPaying(invoice: HoldInvoice): Promise<void>;
  /** A plain invoice of `amountSats` of another node, one routing hop away from `ln`. */
  invoiceOfAnotherNode(amountSats: bigint): Promise<string>;
  close(): Promise<void>;
}

function newPreimage(): { preimage: string; paymentHash: string } {
  const preimage = randomBytes(32);
  return {
    preimage: preimage.toString("hex"),
    paymentHash: createHash("sha256").update(preimage).digest("hex"),
  };
}

/** The next event of a stream, failing after `ms`. */
async function next<E>(it: AsyncIterator<E>, what: string, ms = 60_000): Promise<IteratorResult<E>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([it.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function drain(stream: EventStream<PaymentEvent>): Promise<{ events: PaymentEvent[]; error?: string }> {
  const events: PaymentEvent[] = [];
  try {
    for await (const e of stream) events.push(e);
  } catch (err) {
    if (isGatewayError(err)) return { events, error: err.code };
    throw err;
  }
  return { events };
}

/**
 * Registers the conformance cases of a LightningPort.
 * @param name the peer's name in the test titles
 * @param makeWorld called once, before the cases
 */
export function describeLightningConformance(
  name: string,
  makeWorld: () => Promise<LightningConformanceWorld>,
): void {
  describe(`LightningPort conformance: ${name}`, () => {
    const CLTV = 80;
    let world: LightningConformanceWorld;
    let info: NodeInfo;

    const hold = async (
      amountSats: bigint,
      purpose: { description?: string; descriptionHash?: string } = {},
    ) => {
      const keys = newPreimage();
      const args = {
        paymentHash: keys.paymentHash,
        amountSats,
        cltvDelta: CLTV,
        expiresAt: new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000),
        ...(purpose.descriptionHash === undefined
          ? { description: purpose.description ?? "conformance hold invoice" }
          : { descriptionHash: purpose.descriptionHash }),
      } as CreateHoldInvoiceArgs;
      const invoice = await world.ln.createHoldInvoice(args);
      return { ...keys, args, invoice };
    };

    beforeAll(async () => {
      world = await makeWorld();
      info = await world.ln.getInfo();
    });

    afterAll(async () => {
      await world?.close();
    });

    it("getInfo: identity key, regtest, synced, its height = getHeight", async () => {
      expect(info.pubkey).toMatch(/^0[23][0-9a-f]{64}$/);
      expect(info.networks).toEqual(["regtest"]);
      expect(info.syncedToChain).toBe(true);
      expect(info.blockHeight).toBe(await world.ln.getHeight());
    });

    it("a new hold invoice is open: nothing received, no HTLC, no preimage; its hash is taken", async () => {
      const { paymentHash, args, invoice } = await hold(12_345n);
      expect(invoice).toMatchObject({ paymentHash, amountMsat: 12_345_000n });
      expect(invoice.bolt11).toMatch(/^lnbcrt/);
      const inv = await world.ln.getInvoice(paymentHash);
      expect(inv).toMatchObject({
        paymentHash,
        state: "open",
        bolt11: invoice.bolt11,
        amountMsat: 12_345_000n,
        receivedMsat: 0n,
        cltvDelta: CLTV,
        htlcs: [],
        preimage: undefined,
      });
      // LND keeps a whole number of seconds of expiry from its own creation time: ±1 s of ours
      expect(Math.abs(inv.expiresAt.getTime() - args.expiresAt.getTime())).toBeLessThanOrEqual(1_000);
      expect(inv.createdAt.getTime()).toBe(invoice.createdAt.getTime());
      expect(await codeOf(world.ln.createHoldInvoice(args))).toBe("ln.invoice_already_exists");
      expect(await codeOf(world.ln.settleHoldInvoice(newPreimage().preimage))).toBe("ln.invoice_not_found");
      await world.ln.cancelHoldInvoice(paymentHash);
    });

    it("decodeInvoice of our hold invoice: its hash, our key as destination, amount, CLTV, expiry, description, payment secret", async () => {
      const { paymentHash, args, invoice } = await hold(2_001n, { description: "decode me" });
      const d = await world.ln.decodeInvoice(invoice.bolt11);
      expect(d).toMatchObject({
        paymentHash,
        destination: info.pubkey,
        amountMsat: 2_001_000n,
        amountSats: 2_001n,
        cltvDelta: CLTV,
        network: "regtest",
        description: "decode me",
        isExpired: false,
        routeHints: [],
      });
      expect(d.createdAt.getTime()).toBe(invoice.createdAt.getTime());
      const stored = await world.ln.getInvoice(paymentHash);
      expect(d.expiresAt.getTime()).toBe(stored.expiresAt.getTime());
      expect(Math.abs(d.expiresAt.getTime() - args.expiresAt.getTime())).toBeLessThanOrEqual(1_000);
      expect(d.expirySeconds).toBe((d.expiresAt.getTime() - d.createdAt.getTime()) / 1000);
      expect(d.paymentSecret).toMatch(/^[0-9a-f]{64}$/);
      // var_onion_optin and payment_secret, both required (LND 0.20 sets [8, 14, 17, 25])
      expect(d.features).toEqual(expect.arrayContaining([8, 14]));
      expect(await codeOf(world.ln.decodeInvoice("lnbcrt1notaninvoice"))).toBe("ln.invalid_invoice");

      const hashed = await hold(2_002n, { descriptionHash: "ab".repeat(32) });
      expect((await world.ln.decodeInvoice(hashed.invoice.bolt11)).description).toBeUndefined();
      await world.ln.cancelHoldInvoice(paymentHash);
      await world.ln.cancelHoldInvoice(hashed.paymentHash);
    });

    it("open → held → settled: events, getInvoice at each step; settling again is a no-op, canceling is refused", async () => {
      const height = await world.ln.getHeight();
      const { preimage, paymentHash, invoice } = await hold(10_000n);
      expect(await codeOf(world.ln.settleHoldInvoice(preimage))).toBe("ln.invoice_not_held");
      const events = world.ln.subscribeToInvoice(paymentHash)[Symbol.asyncIterator]();
      await world.startPaying(invoice);

      const held = (await next(events, "held")).value as Extract<InvoiceEvent, { type: "held" }>;
      expect(held).toMatchObject({ type: "held", paymentHash, receivedMsat: 10_000_000n });
      expect(held.cltvExpiry).toBeGreaterThanOrEqual(height + CLTV);
      expect(held.htlcs).toEqual([{ state: "held", amountMsat: 10_000_000n, cltvExpiry: held.cltvExpiry }]);
      expect(await world.ln.getInvoice(paymentHash)).toMatchObject({
        state: "held",
        receivedMsat: 10_000_000n,
        htlcs: [{ state: "held", amountMsat: 10_000_000n, cltvExpiry: held.cltvExpiry }],
        preimage: undefined,
      });

      await world.ln.settleHoldInvoice(preimage);
      expect((await next(events, "settled")).value).toEqual({
        type: "settled",
        paymentHash,
        receivedMsat: 10_000_000n,
      });
      expect((await next(events, "end of stream")).done).toBe(true);
      expect(await world.ln.getInvoice(paymentHash)).toMatchObject({
        state: "settled",
        receivedMsat: 10_000_000n,
        htlcs: [{ state: "settled", amountMsat: 10_000_000n, cltvExpiry: held.cltvExpiry }],
        preimage,
      });
      await world.ln.settleHoldInvoice(preimage);
      expect(await codeOf(world.ln.cancelHoldInvoice(paymentHash))).toBe("ln.invoice_already_settled");
      expect((await world.ln.getInvoice(paymentHash)).state).toBe("settled");
    });

    it("open → held → canceled: the HTLC is failed back; canceling again is a no-op, settling is refused", async () => {
      const { preimage, paymentHash, invoice } = await hold(7_000n);
      const events = world.ln.subscribeToInvoice(paymentHash)[Symbol.asyncIterator]();
      await world.startPaying(invoice);
      expect((await next(events, "held")).value?.type).toBe("held");

      await world.ln.cancelHoldInvoice(paymentHash);
      expect((await next(events, "canceled")).value).toEqual({ type: "canceled", paymentHash });
      expect((await next(events, "end of stream")).done).toBe(true);
      const inv = await world.ln.getInvoice(paymentHash);
      expect(inv).toMatchObject({ state: "canceled", preimage: undefined });
      expect(inv.htlcs.map((h) => [h.state, h.amountMsat])).toEqual([["canceled", 7_000_000n]]);
      await world.ln.cancelHoldInvoice(paymentHash);
      expect(await codeOf(world.ln.settleHoldInvoice(preimage))).toBe("ln.invoice_already_canceled");
    });

    it("pays another node's invoice through one hop: in flight, then succeeded with the preimage; getPayment agrees; paying again is ln.already_paid", async () => {
      const bolt11 = await world.invoiceOfAnotherNode(5_000n);
      const d = await world.ln.decodeInvoice(bolt11);
      expect(d.destination).not.toBe(info.pubkey);
      const args = {
        bolt11,
        maxFeeSats: 50n,
        maxTimeoutHeight: (await world.ln.getHeight()) + d.cltvDelta + 200,
        timeoutSeconds: 60,
        maxPaths: 1,
      };
      const { events, error } = await drain(world.ln.payInvoice(args));
      expect(error).toBeUndefined();
      expect(events.slice(0, -1).every((e) => e.type === "in_flight" || e.type === "attempt_failed")).toBe(
        true,
      );
      expect(events.some((e) => e.type === "in_flight")).toBe(true);
      const last = events.at(-1) as Extract<PaymentEvent, { type: "succeeded" }>;
      expect(last).toMatchObject({ type: "succeeded", paymentHash: d.paymentHash, amountMsat: 5_000_000n });
      expect(createHash("sha256").update(Buffer.from(last.preimage, "hex")).digest("hex")).toBe(
        d.paymentHash,
      );
      expect(last.feeMsat).toBeGreaterThan(0n);
      expect(last.feeSats).toBe((last.feeMsat + 999n) / 1000n);
      expect(await world.ln.getPayment(d.paymentHash)).toEqual({
        status: "succeeded",
        preimage: last.preimage,
        amountMsat: 5_000_000n,
        feeMsat: last.feeMsat,
        feeSats: last.feeSats,
      });
      expect((await drain(world.ln.payInvoice(args))).error).toBe("ln.already_paid");
    });

    it("open → canceled without a payment; unknown hashes: getInvoice not found, getPayment none", async () => {
      const { paymentHash } = await hold(3_000n);
      await world.ln.cancelHoldInvoice(paymentHash);
      expect(await world.ln.getInvoice(paymentHash)).toMatchObject({ state: "canceled", htlcs: [] });

      const unknown = newPreimage().paymentHash;
      expect(await codeOf(world.ln.getInvoice(unknown))).toBe("ln.invoice_not_found");
      expect(await codeOf(world.ln.cancelHoldInvoice(unknown))).toBe("ln.invoice_not_found");
      expect(await world.ln.getPayment(unknown)).toEqual({ status: "none" });
    });
  });
}
