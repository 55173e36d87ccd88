/**
 * An in-memory LND for the engine's tests: external invoices the gateway pays (with a payee, a
 * route of hops each adding 18 blocks of CLTV, a routing fee), hold invoices it receives (with a
 * payer whose HTLC has an absolute expiry), LND's payment records, and balances in msat so a
 * test can account for every satoshi. HTLCs that reach their expiry while held are "force
 * closed" (recorded): a correct engine never lets that happen.
 *
 * Hold invoices behave as our LND adapter on LND 0.20 (test/conformance/lightning.ts runs the same
 * cases against both): settling a settled one and canceling a canceled one are no-ops, and
 * decodeInvoice of one names this node, its description, a payment secret and LND's features.
 */
import { randomBytes } from "node:crypto";
import { GatewayError } from "../../src/domain/errors.js";
import { PushStream } from "../../src/lib/event-stream.js";
import { lnError } from "../../src/lightning/errors.js";
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
} from "../../src/swaps/ports/lightning.js";
import type { FakeChain } from "./fake-chain.js";
import { preimagePair, pubkeyFor, sha256Hex } from "./keys.js";

export type PayBehaviour = "succeed" | "fail" | "hold";

interface ExternalInvoice {
  bolt11: string;
  paymentHash: string;
  preimage: string;
  amountMsat: bigint;
  expiresAt: Date;
  createdAt: Date;
  cltvDelta: number;
  network: "regtest" | "mainnet";
  /** Intermediate hops of the only route (each adds 18 blocks); undefined = unroutable. */
  hops: number | undefined;
  feeMsat: bigint;
  behaviour: PayBehaviour;
}

interface PaymentRecord {
  status: "in_flight" | "succeeded" | "failed";
  feeMsat: bigint;
  amountMsat: bigint;
  stream: PushStream<PaymentEvent> | undefined;
}

interface HoldRecord {
  paymentHash: string;
  bolt11: string;
  amountMsat: bigint;
  cltvDelta: number;
  createdAt: Date;
  expiresAt: Date;
  state: Invoice["state"];
  htlcs: { state: "held" | "settled" | "canceled"; amountMsat: bigint; cltvExpiry: number }[];
  preimage: string | undefined;
  /** BOLT11 payment_addr, hex. */
  paymentSecret: string;
  /** What the invoice commits to: a description (BOLT11 d) or its hash (h). */
  purpose: { description?: string; descriptionHash?: string };
}

const HOP_DELTA = 18;
/** The node's identity key. */
const GATEWAY_PUBKEY = pubkeyFor("gateway-lnd");
/** Feature bits LND 0.20 sets in its invoices: var_onion_optin, payment_secret, basic_mpp, route blinding. */
const LND_INVOICE_FEATURES = [8, 14, 17, 25] as const;

export class FakeLightning implements LightningPort {
  /** Net msat the gateway's node gained (+) or spent (−). */
  gatewayMsat = 0n;
  /** msat the payees of external invoices received. */
  payeeMsat = 0n;
  /** msat routing nodes earned from the gateway's payments. */
  routingFeesMsat = 0n;
  /** Net msat the payers of hold invoices spent (locked HTLCs count once settled). */
  payerMsat = 0n;
  readonly payCalls: PayInvoiceArgs[] = [];
  readonly settleCalls: string[] = [];
  /** Cancels that took effect (a repeated cancel is a no-op, as in LND, and not recorded). */
  readonly cancelCalls: { paymentHash: string; height: number }[] = [];
  readonly forceClosed: string[] = [];
  private readonly external = new Map<string, ExternalInvoice>();
  private readonly payments = new Map<string, PaymentRecord>();
  private readonly holds = new Map<string, HoldRecord>();
  private invoiceStreams: { hash: string; stream: PushStream<InvoiceEvent> }[] = [];
  private readonly faults = new Map<string, GatewayError[]>();
  private serial = 0;

  constructor(private readonly chain: FakeChain) {
    chain.onBlock(() => this.expireHtlcs());
  }

  // ---- test controls ----

  /** Adds an invoice of some payee; returns its bolt11 and secrets. */
  addExternalInvoice(opts: Partial<Omit<ExternalInvoice, "bolt11" | "paymentHash" | "preimage">> = {}) {
    const { preimage, paymentHash } = preimagePair();
    const bolt11 = `lnbcrt${this.serial++}fake${paymentHash.slice(0, 16)}`;
    const invoice: ExternalInvoice = {
      bolt11,
      paymentHash,
      preimage,
      amountMsat: 50_000_000n,
      createdAt: this.chain.now(),
      expiresAt: new Date(this.chain.now().getTime() + 3_600_000),
      cltvDelta: 18,
      network: "regtest",
      hops: 1,
      feeMsat: 2_000n,
      behaviour: "succeed",
      ...opts,
    };
    this.external.set(bolt11, invoice);
    return invoice;
  }

  /** Changes how paying an external invoice goes from now on. */
  setBehaviour(paymentHash: string, behaviour: PayBehaviour): void {
    for (const inv of this.external.values()) if (inv.paymentHash === paymentHash) inv.behaviour = behaviour;
  }

  /** Resolves a payment left in flight. */
  resolvePayment(paymentHash: string, outcome: "succeed" | "fail"): void {
    const inv = [...this.external.values()].find((i) => i.paymentHash === paymentHash);
    const record = this.payments.get(paymentHash);
    if (inv === undefined || record?.status !== "in_flight") throw new Error("no payment in flight");
    this.finish(inv, record, outcome);
  }

  /** The payer pays a hold invoice: its HTLC is held with this absolute expiry. */
  payHoldInvoice(paymentHash: string, opts: { cltvExpiry?: number } = {}): void {
    const hold = this.holds.get(paymentHash);
    if (hold === undefined || hold.state !== "open") throw new Error(`hold invoice not open: ${hold?.state}`);
    if (this.chain.now() >= hold.expiresAt) throw new Error("hold invoice expired");
    const cltvExpiry = opts.cltvExpiry ?? this.chain.height + hold.cltvDelta + 3;
    hold.htlcs.push({ state: "held", amountMsat: hold.amountMsat, cltvExpiry });
    hold.state = "held";
    this.notify(paymentHash, {
      type: "held",
      paymentHash,
      receivedMsat: hold.amountMsat,
      cltvExpiry,
      htlcs: hold.htlcs.map((h) => ({ ...h })),
    });
  }

  /** The description or description hash a hold invoice was created with. */
  holdPurpose(paymentHash: string): { description?: string; descriptionHash?: string } | undefined {
    return this.holds.get(paymentHash)?.purpose;
  }

  holdState(paymentHash: string): Invoice["state"] | undefined {
    return this.holds.get(paymentHash)?.state;
  }

  /** The next call of `method` throws `error` (once per queued error). */
  failNext(
    method: keyof LightningPort,
    error: GatewayError = lnError("ln.unavailable", "LND unreachable"),
  ): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), error]);
  }

  /** As if the gateway process died: its streams are forgotten (never end, never deliver). */
  sever(): void {
    this.invoiceStreams = [];
    for (const record of this.payments.values()) record.stream = undefined;
  }

  // ---- LightningPort ----

  getInfo(): Promise<NodeInfo> {
    return Promise.resolve({
      pubkey: GATEWAY_PUBKEY,
      alias: "gateway",
      version: "0.20.0-beta",
      networks: ["regtest"],
      syncedToChain: true,
      syncedToGraph: true,
      blockHeight: this.chain.height,
      blockHash: "00".repeat(32),
      activeChannels: 1,
      peers: 1,
    });
  }

  getHeight(): Promise<number> {
    return this.call("getHeight", () => this.chain.height);
  }

  createHoldInvoice(args: CreateHoldInvoiceArgs): Promise<HoldInvoice> {
    return this.call("createHoldInvoice", () => {
      if (this.holds.has(args.paymentHash)) throw lnError("ln.invoice_already_exists", "exists");
      if (args.cltvDelta < 18 || args.cltvDelta > 2016)
        throw lnError("ln.invalid_argument", "bad cltv delta");
      const hold: HoldRecord = {
        paymentHash: args.paymentHash,
        bolt11: `lnbcrt${args.amountSats}hold${args.paymentHash.slice(0, 16)}`,
        amountMsat: args.amountSats * 1000n,
        cltvDelta: args.cltvDelta,
        createdAt: this.chain.now(),
        expiresAt: args.expiresAt,
        state: "open",
        htlcs: [],
        preimage: undefined,
        paymentSecret: randomBytes(32).toString("hex"),
        purpose:
          args.descriptionHash === undefined
            ? { description: args.description }
            : { descriptionHash: args.descriptionHash },
      };
      this.holds.set(args.paymentHash, hold);
      return {
        paymentHash: hold.paymentHash,
        bolt11: hold.bolt11,
        amountMsat: hold.amountMsat,
        createdAt: hold.createdAt,
      };
    });
  }

  subscribeToInvoice(paymentHash: string): EventStream<InvoiceEvent> {
    const stream: PushStream<InvoiceEvent> = new PushStream(() => {
      this.invoiceStreams = this.invoiceStreams.filter((s) => s.stream !== stream);
    });
    this.invoiceStreams.push({ hash: paymentHash, stream });
    return stream;
  }

  settleHoldInvoice(preimage: string): Promise<void> {
    this.settleCalls.push(preimage);
    return this.call("settleHoldInvoice", () => {
      const hold = this.holds.get(sha256Hex(preimage));
      if (hold === undefined) throw lnError("ln.invoice_not_found", "no invoice for this preimage");
      if (hold.state === "settled") return; // the adapter: LND's "already settled" is a no-op
      if (hold.state === "canceled") throw lnError("ln.invoice_already_canceled", "canceled");
      if (hold.state !== "held") throw lnError("ln.invoice_not_held", "not held");
      hold.state = "settled";
      hold.preimage = preimage;
      for (const h of hold.htlcs) if (h.state === "held") h.state = "settled";
      this.gatewayMsat += hold.amountMsat;
      this.payerMsat -= hold.amountMsat;
      this.notify(hold.paymentHash, {
        type: "settled",
        paymentHash: hold.paymentHash,
        receivedMsat: hold.amountMsat,
      });
    });
  }

  cancelHoldInvoice(paymentHash: string): Promise<void> {
    return this.call("cancelHoldInvoice", () => {
      const hold = this.holds.get(paymentHash);
      if (hold === undefined) throw lnError("ln.invoice_not_found", "unknown");
      if (hold.state === "settled") throw lnError("ln.invoice_already_settled", "settled");
      if (hold.state === "canceled") return; // LND: canceling again is a no-op
      this.cancelCalls.push({ paymentHash, height: this.chain.height });
      this.cancel(hold);
    });
  }

  getInvoice(paymentHash: string): Promise<Invoice> {
    return this.call("getInvoice", () => {
      const hold = this.holds.get(paymentHash);
      if (hold === undefined) throw lnError("ln.invoice_not_found", "unknown");
      const received = hold.htlcs
        .filter((h) => h.state !== "canceled")
        .reduce((s, h) => s + h.amountMsat, 0n);
      return {
        paymentHash,
        state: hold.state,
        bolt11: hold.bolt11,
        amountMsat: hold.amountMsat,
        receivedMsat: received,
        cltvDelta: hold.cltvDelta,
        createdAt: hold.createdAt,
        expiresAt: hold.expiresAt,
        htlcs: hold.htlcs.map((h) => ({ ...h })),
        preimage: hold.preimage,
      };
    });
  }

  decodeInvoice(bolt11: string): Promise<DecodedInvoice> {
    return this.call("decodeInvoice", () => {
      const own = [...this.holds.values()].find((h) => h.bolt11 === bolt11);
      const inv = this.external.get(bolt11) ?? this.holdAsExternal(bolt11);
      if (inv === undefined) throw lnError("ln.invalid_invoice", "cannot decode");
      const decoded: DecodedInvoice = {
        paymentHash: inv.paymentHash,
        destination: pubkeyFor(`payee:${inv.paymentHash}`),
        amountMsat: inv.amountMsat,
        amountSats: (inv.amountMsat + 999n) / 1000n,
        createdAt: inv.createdAt,
        expiresAt: inv.expiresAt,
        expirySeconds: Math.round((inv.expiresAt.getTime() - inv.createdAt.getTime()) / 1000),
        isExpired: this.chain.now() >= inv.expiresAt,
        cltvDelta: inv.cltvDelta,
        network: inv.network,
        description: undefined,
        paymentSecret: undefined,
        features: [],
        routeHints: [],
      };
      if (own === undefined) return decoded;
      return {
        ...decoded,
        destination: GATEWAY_PUBKEY,
        description: own.purpose.description,
        paymentSecret: own.paymentSecret,
        features: [...LND_INVOICE_FEATURES],
      };
    });
  }

  payInvoice(args: PayInvoiceArgs): EventStream<PaymentEvent> {
    this.payCalls.push(args);
    const stream = new PushStream<PaymentEvent>(() => undefined);
    const fault = this.faults.get("payInvoice")?.shift();
    const inv = this.external.get(args.bolt11);
    queueMicrotask(() => {
      if (fault !== undefined) return stream.fail(fault);
      if (inv === undefined) return stream.fail(lnError("ln.invalid_invoice", "cannot decode"));
      if (this.chain.now() >= inv.expiresAt) return stream.fail(lnError("ln.invoice_expired", "expired"));
      const existing = this.payments.get(inv.paymentHash);
      if (existing?.status === "succeeded") return stream.fail(lnError("ln.already_paid", "paid"));
      if (existing?.status === "in_flight") return stream.fail(lnError("ln.payment_in_flight", "in flight"));
      this.start(inv, args, stream);
    });
    return stream;
  }

  getPayment(paymentHash: string): Promise<PaymentStatus> {
    return this.call("getPayment", () => {
      const record = this.payments.get(paymentHash);
      if (record === undefined) return { status: "none" } as const;
      if (record.status === "in_flight") return { status: "in_flight" } as const;
      if (record.status === "failed")
        return {
          status: "failed",
          reason: "incorrect_payment_details",
          code: "ln.incorrect_payment_details",
        } as const;
      const inv = [...this.external.values()].find((i) => i.paymentHash === paymentHash);
      return {
        status: "succeeded",
        preimage: inv?.preimage ?? "",
        amountMsat: record.amountMsat,
        feeMsat: record.feeMsat,
        feeSats: (record.feeMsat + 999n) / 1000n,
      } as const;
    });
  }

  probeRoute(args: ProbeRouteArgs): Promise<ProbeResult> {
    return this.call("probeRoute", () => {
      const inv = [...this.external.values()].find(
        (i) => pubkeyFor(`payee:${i.paymentHash}`) === args.destination,
      );
      if (inv?.hops === undefined) return { found: false } as const;
      const timeoutHeight = this.chain.height + (args.finalCltvDelta ?? 18) + HOP_DELTA * inv.hops;
      if (args.maxTimeoutHeight !== undefined && timeoutHeight > args.maxTimeoutHeight)
        return { found: false } as const;
      if (args.maxFeeSats !== undefined && inv.feeMsat > args.maxFeeSats * 1000n)
        return { found: false } as const;
      return {
        found: true,
        feeMsat: inv.feeMsat,
        feeSats: (inv.feeMsat + 999n) / 1000n,
        timeoutHeight,
        hops: inv.hops + 1,
      } as const;
    });
  }

  // ---- internals ----

  private start(inv: ExternalInvoice, args: PayInvoiceArgs, stream: PushStream<PaymentEvent>): void {
    const timeoutHeight =
      inv.hops === undefined ? undefined : this.chain.height + inv.cltvDelta + HOP_DELTA * inv.hops;
    if (
      timeoutHeight === undefined ||
      timeoutHeight > args.maxTimeoutHeight ||
      inv.feeMsat > args.maxFeeSats * 1000n
    ) {
      this.payments.set(inv.paymentHash, {
        status: "failed",
        feeMsat: 0n,
        amountMsat: inv.amountMsat,
        stream: undefined,
      });
      stream.push({ type: "failed", reason: "no_route", code: "ln.no_route" });
      return stream.end();
    }
    const record: PaymentRecord = {
      status: "in_flight",
      feeMsat: inv.feeMsat,
      amountMsat: inv.amountMsat,
      stream,
    };
    this.payments.set(inv.paymentHash, record);
    // the HTLC is locked: the gateway's balance is committed until the payment resolves
    stream.push({
      type: "in_flight",
      paymentHash: inv.paymentHash,
      totalMsat: inv.amountMsat + inv.feeMsat,
      feeMsat: inv.feeMsat,
      paths: 1,
      timeoutHeight,
    });
    if (inv.behaviour !== "hold")
      queueMicrotask(() => this.finish(inv, record, inv.behaviour === "succeed" ? "succeed" : "fail"));
  }

  private finish(inv: ExternalInvoice, record: PaymentRecord, outcome: "succeed" | "fail"): void {
    if (outcome === "succeed") {
      record.status = "succeeded";
      this.gatewayMsat -= inv.amountMsat + inv.feeMsat;
      this.payeeMsat += inv.amountMsat;
      this.routingFeesMsat += inv.feeMsat;
      record.stream?.push({
        type: "succeeded",
        paymentHash: inv.paymentHash,
        preimage: inv.preimage,
        amountMsat: inv.amountMsat,
        feeMsat: inv.feeMsat,
        feeSats: (inv.feeMsat + 999n) / 1000n,
      });
    } else {
      record.status = "failed";
      record.stream?.push({
        type: "failed",
        reason: "incorrect_payment_details",
        code: "ln.incorrect_payment_details",
      });
    }
    record.stream?.end();
  }

  private holdAsExternal(bolt11: string): ExternalInvoice | undefined {
    const hold = [...this.holds.values()].find((h) => h.bolt11 === bolt11);
    if (hold === undefined) return undefined;
    return {
      bolt11,
      paymentHash: hold.paymentHash,
      preimage: "",
      amountMsat: hold.amountMsat,
      createdAt: hold.createdAt,
      expiresAt: hold.expiresAt,
      cltvDelta: hold.cltvDelta,
      network: "regtest",
      hops: undefined,
      feeMsat: 0n,
      behaviour: "fail",
    };
  }

  private cancel(hold: HoldRecord): void {
    hold.state = "canceled";
    for (const h of hold.htlcs) if (h.state === "held") h.state = "canceled";
    this.notify(hold.paymentHash, { type: "canceled", paymentHash: hold.paymentHash });
  }

  /** A held HTLC reaching its expiry: the channel goes to chain and the payer takes it back. */
  private expireHtlcs(): void {
    for (const hold of this.holds.values()) {
      if (
        hold.state === "held" &&
        hold.htlcs.some((h) => h.state === "held" && h.cltvExpiry <= this.chain.height)
      ) {
        this.forceClosed.push(hold.paymentHash);
        this.cancel(hold);
      }
    }
  }

  private notify(paymentHash: string, event: InvoiceEvent): void {
    for (const s of this.invoiceStreams) {
      if (s.hash !== paymentHash) continue;
      s.stream.push(event);
      if (event.type !== "held") s.stream.end();
    }
  }

  private call<T>(method: keyof LightningPort, work: () => T): Promise<T> {
    const fault = this.faults.get(method)?.shift();
    if (fault !== undefined) return Promise.reject(fault);
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }
}
