/**
 * The engine's fake LND (test/fakes/fake-lightning.ts) behind real BOLT11 strings.
 * The fake names its invoices with opaque strings; the client library decodes invoices itself,
 * so this LightningPort hands out signed BOLT11 requests carrying the same payment hash, amount
 * and expiry, and translates them back for the fake. Everything else is the fake's behaviour.
 */
import { hex } from "@scure/base";
import type {
  CreateHoldInvoiceArgs,
  DecodedInvoice,
  EventStream,
  HoldInvoice,
  Invoice,
  InvoiceEvent,
  LightningPort,
  NodeInfo,
  PayInvoiceArgs,
  PaymentEvent,
  PaymentStatus,
  ProbeResult,
  ProbeRouteArgs,
} from "../../../src/swaps/ports/lightning.js";
import type { FakeLightning, PayBehaviour } from "../../fakes/fake-lightning.js";
import { encodeBolt11 } from "./bolt11.js";

/** A payee's key (signs external invoices) and the gateway node's key (signs hold invoices). */
const PAYEE_KEY = hex.decode("11".repeat(32));
const GATEWAY_NODE_KEY = hex.decode("22".repeat(32));

export interface ExternalInvoiceSpec {
  readonly amountSats: bigint;
  readonly behaviour?: PayBehaviour;
  readonly cltvDelta?: number;
}

export class Bolt11Lightning implements LightningPort {
  private readonly toFake = new Map<string, string>();
  private readonly toReal = new Map<string, string>();

  constructor(readonly fake: FakeLightning) {}

  /** A payee's invoice (real BOLT11) the gateway can pay through the fake network. */
  addExternalInvoice(spec: ExternalInvoiceSpec): { bolt11: string; paymentHash: string; preimage: string } {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 3_600_000);
    const inv = this.fake.addExternalInvoice({
      amountMsat: spec.amountSats * 1000n,
      createdAt: now,
      expiresAt,
      cltvDelta: spec.cltvDelta ?? 18,
      behaviour: spec.behaviour ?? "succeed",
    });
    const bolt11 = encodeBolt11(
      {
        paymentHash: inv.paymentHash,
        amountMsat: inv.amountMsat,
        timestamp: Math.floor(now.getTime() / 1000),
        expirySeconds: 3600,
        cltvDelta: inv.cltvDelta,
        description: "coffee",
      },
      PAYEE_KEY,
    );
    this.link(bolt11, inv.bolt11);
    return { bolt11, paymentHash: inv.paymentHash, preimage: inv.preimage };
  }

  private link(real: string, fake: string): void {
    this.toFake.set(real, fake);
    this.toReal.set(fake, real);
  }

  private fakeOf(bolt11: string): string {
    return this.toFake.get(bolt11) ?? bolt11;
  }

  private realOf(bolt11: string): string {
    return this.toReal.get(bolt11) ?? bolt11;
  }

  getInfo(): Promise<NodeInfo> {
    return this.fake.getInfo();
  }

  getHeight(): Promise<number> {
    return this.fake.getHeight();
  }

  async createHoldInvoice(args: CreateHoldInvoiceArgs): Promise<HoldInvoice> {
    const hold = await this.fake.createHoldInvoice(args);
    const bolt11 = encodeBolt11(
      {
        paymentHash: args.paymentHash,
        amountMsat: hold.amountMsat,
        timestamp: Math.floor(hold.createdAt.getTime() / 1000),
        expirySeconds: Math.max(1, Math.round((args.expiresAt.getTime() - hold.createdAt.getTime()) / 1000)),
        cltvDelta: args.cltvDelta,
        ...(args.descriptionHash === undefined
          ? { description: args.description }
          : { descriptionHash: args.descriptionHash }),
      },
      GATEWAY_NODE_KEY,
    );
    this.link(bolt11, hold.bolt11);
    return { ...hold, bolt11 };
  }

  subscribeToInvoice(paymentHash: string): EventStream<InvoiceEvent> {
    return this.fake.subscribeToInvoice(paymentHash);
  }

  settleHoldInvoice(preimage: string): Promise<void> {
    return this.fake.settleHoldInvoice(preimage);
  }

  cancelHoldInvoice(paymentHash: string): Promise<void> {
    return this.fake.cancelHoldInvoice(paymentHash);
  }

  async getInvoice(paymentHash: string): Promise<Invoice> {
    const invoice = await this.fake.getInvoice(paymentHash);
    return invoice.bolt11 === undefined ? invoice : { ...invoice, bolt11: this.realOf(invoice.bolt11) };
  }

  decodeInvoice(bolt11: string): Promise<DecodedInvoice> {
    return this.fake.decodeInvoice(this.fakeOf(bolt11));
  }

  payInvoice(args: PayInvoiceArgs): EventStream<PaymentEvent> {
    return this.fake.payInvoice({ ...args, bolt11: this.fakeOf(args.bolt11) });
  }

  getPayment(paymentHash: string): Promise<PaymentStatus> {
    return this.fake.getPayment(paymentHash);
  }

  probeRoute(args: ProbeRouteArgs): Promise<ProbeResult> {
    return this.fake.probeRoute(args);
  }
}
