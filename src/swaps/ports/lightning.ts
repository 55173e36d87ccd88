/**
 * The Lightning port: what the swap engine asks of a Lightning node. No ln-service type leaks
 * through it. Amounts are bigint (`…Msat` in millisatoshis, `…Sats` in satoshis), heights and
 * CLTV deltas are block counts, hashes and preimages are lowercase hex (32 bytes). Every method
 * throws GatewayError with a code from `LIGHTNING_ERRORS` (src/lightning/errors.ts).
 */
import type { EventStream } from "../../lib/event-stream.js";
import type { LightningNetwork } from "../../domain/lightning-network.js";

export type { EventStream } from "../../lib/event-stream.js";
export type { LightningNetwork } from "../../domain/lightning-network.js";

export interface NodeInfo {
  /** Identity public key, 33-byte compressed, hex. */
  readonly pubkey: string;
  readonly alias: string;
  /** LND's version string as reported, e.g. `0.20.1-beta commit=v0.20.1-beta`. */
  readonly version: string;
  /** Networks of the chains the node runs on (usually one). */
  readonly networks: readonly LightningNetwork[];
  readonly syncedToChain: boolean;
  readonly syncedToGraph: boolean;
  /** Best block height the node knows. */
  readonly blockHeight: number;
  readonly blockHash: string;
  readonly activeChannels: number;
  readonly peers: number;
}

/**
 * What a hold invoice commits to about its purpose: a description (BOLT11 `d`) or, for LNURL
 * flows whose description is too long or must stay private, its SHA-256 (BOLT11 `h`). Never both.
 */
export type HoldInvoiceDescription =
  | {
      /** Invoice description, at most 639 bytes UTF-8. */
      readonly description: string;
      readonly descriptionHash?: undefined;
    }
  | {
      /** SHA-256 of the description the payer was shown, 32 bytes hex. */
      readonly descriptionHash: string;
      readonly description?: undefined;
    };

export type CreateHoldInvoiceArgs = HoldInvoiceDescription & {
  /** sha256 of the preimage, hex; the invoice settles only with that preimage. */
  readonly paymentHash: string;
  /** Invoice amount in sats, > 0. */
  readonly amountSats: bigint;
  /** Final CLTV delta in blocks (18–2016) the payer must leave us. */
  readonly cltvDelta: number;
  /** When the invoice stops being payable (must be in the future). */
  readonly expiresAt: Date;
};

export interface HoldInvoice {
  readonly paymentHash: string;
  readonly bolt11: string;
  readonly amountMsat: bigint;
  readonly createdAt: Date;
}

export type InvoiceState = "open" | "held" | "settled" | "canceled";

export interface InvoiceHtlc {
  readonly state: "held" | "settled" | "canceled";
  readonly amountMsat: bigint;
  /** Absolute height at which this incoming HTLC times out. */
  readonly cltvExpiry: number;
}

export interface Invoice {
  readonly paymentHash: string;
  readonly state: InvoiceState;
  readonly bolt11: string | undefined;
  /** Invoiced amount. */
  readonly amountMsat: bigint;
  /** Sum of HTLCs received (held or settled). */
  readonly receivedMsat: bigint;
  readonly cltvDelta: number;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly htlcs: readonly InvoiceHtlc[];
  /** Only once settled. */
  readonly preimage: string | undefined;
}

export type InvoiceEvent =
  | {
      readonly type: "held";
      readonly paymentHash: string;
      readonly receivedMsat: bigint;
      /** Smallest timeout height among the held HTLCs: cancel or settle before it. */
      readonly cltvExpiry: number;
      readonly htlcs: readonly InvoiceHtlc[];
    }
  | { readonly type: "settled"; readonly paymentHash: string; readonly receivedMsat: bigint }
  | { readonly type: "canceled"; readonly paymentHash: string };

export interface DecodedInvoice {
  readonly paymentHash: string;
  /** Payee identity public key, hex. */
  readonly destination: string;
  /** 0n for an amountless invoice. */
  readonly amountMsat: bigint;
  /** amountMsat rounded up: what paying it costs in whole sats. */
  readonly amountSats: bigint;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** expiresAt − createdAt, in seconds. */
  readonly expirySeconds: number;
  readonly isExpired: boolean;
  /** Final CLTV delta in blocks the payee requires. */
  readonly cltvDelta: number;
  readonly network: LightningNetwork;
  readonly description: string | undefined;
  /** Payment secret (payment_addr), hex, when present. */
  readonly paymentSecret: string | undefined;
  /** Feature bits the invoice sets. */
  readonly features: readonly number[];
  /** Private route hints, passed back to {@link LightningPort.probeRoute}. */
  readonly routeHints: readonly RouteHint[];
}

export interface RouteHintHop {
  readonly publicKey: string;
  /** Standard format channel id `block x tx x output`, absent on the first entry. */
  readonly channel: string | undefined;
  readonly baseFeeMsat: bigint | undefined;
  readonly feeRatePpm: number | undefined;
  readonly cltvDelta: number | undefined;
}

/** One hint path: first entry is the hop the route starts from, the rest are forwarding edges. */
export type RouteHint = readonly RouteHintHop[];

export interface PayInvoiceArgs {
  readonly bolt11: string;
  /** Routing fee budget in sats (0 allows only fee-free routes). */
  readonly maxFeeSats: bigint;
  /** CLTV limit: no HTLC of this payment may time out above this absolute height. */
  readonly maxTimeoutHeight: number;
  /** Time LND may spend finding routes before failing, in seconds. */
  readonly timeoutSeconds: number;
  /** Maximum number of MPP parts (1 = single path). */
  readonly maxPaths: number;
}

export type PaymentFailureReason =
  "no_route" | "insufficient_balance" | "incorrect_payment_details" | "timeout" | "canceled" | "error";

export type PaymentEvent =
  | {
      readonly type: "in_flight";
      readonly paymentHash: string;
      /** Amount plus fees of the HTLCs currently in flight. */
      readonly totalMsat: bigint;
      /** Fees of the HTLCs currently in flight. */
      readonly feeMsat: bigint;
      readonly paths: number;
      /** Highest timeout height among the in-flight HTLCs. */
      readonly timeoutHeight: number | undefined;
    }
  | {
      readonly type: "attempt_failed";
      /** BOLT4 failure name as LND reports it, e.g. `TemporaryChannelFailure`. */
      readonly reason: string;
      /** Public key of the hop that reported the failure, when known. */
      readonly failedAt: string | undefined;
    }
  | {
      readonly type: "succeeded";
      readonly paymentHash: string;
      /** Payment preimage, hex: sha256(preimage) = paymentHash. */
      readonly preimage: string;
      readonly amountMsat: bigint;
      readonly feeMsat: bigint;
      /** feeMsat rounded up. */
      readonly feeSats: bigint;
    }
  | {
      /** Definite: LND marked the payment FAILED, no HTLC of it is left in flight. */
      readonly type: "failed";
      readonly reason: PaymentFailureReason;
      /** The matching `LIGHTNING_ERRORS` code, e.g. `ln.no_route`. */
      readonly code: string;
    };

export type PaymentStatus =
  | { readonly status: "none" }
  | { readonly status: "in_flight" }
  | {
      readonly status: "succeeded";
      readonly preimage: string;
      readonly amountMsat: bigint;
      readonly feeMsat: bigint;
      /** feeMsat rounded up. */
      readonly feeSats: bigint;
    }
  | { readonly status: "failed"; readonly reason: PaymentFailureReason; readonly code: string };

export interface ProbeRouteArgs {
  /** Destination public key, hex. */
  readonly destination: string;
  readonly amountSats: bigint;
  /** Final CLTV delta the destination requires (the invoice's). */
  readonly finalCltvDelta?: number;
  readonly maxFeeSats?: bigint;
  /** CLTV limit, absolute height. */
  readonly maxTimeoutHeight?: number;
  /** Private route hints from the invoice. */
  readonly routeHints?: readonly RouteHint[];
  /** Give up after this many milliseconds (default 60 s). */
  readonly timeoutMs?: number;
}

export type ProbeResult =
  | { readonly found: false }
  | {
      readonly found: true;
      readonly feeMsat: bigint;
      /** feeMsat rounded up. */
      readonly feeSats: bigint;
      /** Absolute height at which the first hop's HTLC would time out. */
      readonly timeoutHeight: number;
      readonly hops: number;
    };

/** The Lightning node, as the swap engine sees it. */
export interface LightningPort {
  /** Node identity, version, network and sync state. */
  getInfo(): Promise<NodeInfo>;
  /** Current best block height. */
  getHeight(): Promise<number>;
  /** Adds a hold invoice for a payment hash whose preimage we do not know yet. */
  createHoldInvoice(args: CreateHoldInvoiceArgs): Promise<HoldInvoice>;
  /**
   * Streams state changes of one invoice: `held`, then `settled` or `canceled` (iteration ends
   * after those). A dropped connection throws `ln.unavailable`/`ln.subscription_closed`:
   * resubscribe and reconcile with {@link getInvoice}. LND stays silent for a hash it has no
   * invoice for (seen on 0.20.1), so look the invoice up first when unsure.
   */
  subscribeToInvoice(paymentHash: string): EventStream<InvoiceEvent>;
  /** Settles a held invoice with its preimage (hex). */
  settleHoldInvoice(preimage: string): Promise<void>;
  /** Cancels an open or held invoice, failing its HTLCs back. */
  cancelHoldInvoice(paymentHash: string): Promise<void>;
  /** Looks an invoice up by payment hash. */
  getInvoice(paymentHash: string): Promise<Invoice>;
  /** Decodes a BOLT11 invoice with the node (which checks its network). */
  decodeInvoice(bolt11: string): Promise<DecodedInvoice>;
  /**
   * Starts paying an invoice and streams attempts until `succeeded` or `failed`. A thrown error
   * leaves the outcome unknown except for the codes that say LND never started it
   * (`ln.invoice_expired`, `ln.cltv_limit_too_low`, `ln.unsupported_feature`,
   * `ln.invalid_invoice`): reconcile with {@link getPayment}.
   */
  payInvoice(args: PayInvoiceArgs): EventStream<PaymentEvent>;
  /** What LND knows of an outgoing payment (for resuming after a restart). */
  getPayment(paymentHash: string): Promise<PaymentStatus>;
  /** Probes for a route that would carry the amount within the fee and CLTV limits. */
  probeRoute(args: ProbeRouteArgs): Promise<ProbeResult>;
}
