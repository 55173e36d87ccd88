/**
 * SendPaymentV2 (routerrpc) through ln-service `subscribeToPayViaRequest`: pays a BOLT11 invoice
 * within a fee budget and a CLTV limit, streaming attempts until the payment settles or fails.
 */
import type { GatewayError } from "../../domain/errors.js";
import { parseMsat, satsToMsatString } from "../amounts.js";
import type { LightningErrorCode } from "../errors.js";
import { PushStream, type EventStream } from "../../lib/event-stream.js";
import type { PayInvoiceArgs, PaymentEvent } from "../../swaps/ports/lightning.js";
import type {
  LnConfirmedPayment,
  LnEmitter,
  LnPaymentFailure,
  LnPendingPayment,
  LnRoutingFailure,
  LndContext,
} from "./ln-service.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { failedEventOf, settledPaymentOf } from "./payment-from-ln.js";
import { expectBolt11, expectInt, expectSats } from "./validate.js";

/** Absolute heights below bitcoin's locktime threshold. */
const MAX_HEIGHT = 499_999_999;
const MAX_PATHFINDING_SECONDS = 3600;
const MAX_PATHS = 128;

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details.includes("invoice is already paid")) return "ln.already_paid";
  if (details.includes("payment is in transition")) return "ln.payment_in_flight";
  if (details.includes("invoice expired")) return "ln.invoice_expired";
  if (details.includes("not for current active network")) return "ln.invoice_wrong_network";
  if (details.includes("amount must be specified")) return "ln.invalid_invoice";
  switch (info.name) {
    case "MaxTimeoutTooNearCurrentHeightToMakePayment":
      return "ln.cltv_limit_too_low";
    case "UnsupportedPaymentFeatureInPayRequest":
      return "ln.unsupported_feature";
    case "ExpectedValidPaymentRequestToMakePayment":
      return "ln.invalid_invoice";
    case "ExpectedAuthenticatedLndToSubscribeToPayment":
      return "ln.missing_subserver";
    default:
      // ln-service's checks of LND's payment updates (`ExpectedPaymentHashFor...`)
      return info.status === 503 && info.name?.startsWith("Expected") ? "ln.unexpected_response" : undefined;
  }
}

function inFlightOf(p: LnPendingPayment): PaymentEvent {
  const feeMsat = (p.paths ?? []).reduce(
    (sum, path, i) => sum + parseMsat(path.fee_mtokens, `paths[${i}].fee_mtokens`),
    0n,
  );
  return {
    type: "in_flight",
    paymentHash: p.id.toLowerCase(),
    totalMsat: parseMsat(p.mtokens, "mtokens"),
    feeMsat,
    paths: (p.paths ?? []).length,
    timeoutHeight: typeof p.timeout === "number" && Number.isFinite(p.timeout) ? p.timeout : undefined,
  };
}

function succeededOf(p: LnConfirmedPayment): PaymentEvent {
  return { type: "succeeded", paymentHash: p.id.toLowerCase(), ...settledPaymentOf(p) };
}

/**
 * Starts paying `bolt11`. LND keeps paying if the stream is closed; closing only stops
 * observing. Reconcile with getPayment after a restart or a thrown error.
 * @param args.maxFeeSats routing fee budget in sats
 * @param args.maxTimeoutHeight absolute height no HTLC of the payment may exceed (CLTV limit)
 * @param args.timeoutSeconds pathfinding time budget in seconds
 * @param args.maxPaths MPP parts allowed (1 = single path)
 * @returns the stream: `in_flight` / `attempt_failed` events, ending with `succeeded` or
 *   `failed` (definite). Iterating throws `ln.already_paid`, `ln.payment_in_flight`,
 *   `ln.invoice_expired`, `ln.cltv_limit_too_low`, `ln.unsupported_feature`,
 *   `ln.invoice_wrong_network`, `ln.invalid_invoice`, `ln.unavailable`, `ln.unexpected`
 * @throws GatewayError `ln.invalid_argument`, `ln.invalid_invoice` synchronously
 */
export function payInvoice(ctx: LndContext, args: PayInvoiceArgs): EventStream<PaymentEvent> {
  const request = expectBolt11(args.bolt11, "bolt11");
  const maxFeeSats = expectSats(args.maxFeeSats, "maxFeeSats", 0n);
  const maxTimeoutHeight = expectInt(args.maxTimeoutHeight, "maxTimeoutHeight", 1, MAX_HEIGHT);
  const timeoutSeconds = expectInt(args.timeoutSeconds, "timeoutSeconds", 1, MAX_PATHFINDING_SECONDS);
  const maxPaths = expectInt(args.maxPaths, "maxPaths", 1, MAX_PATHS);

  let emitter: LnEmitter;
  try {
    emitter = ctx.ln.subscribeToPayViaRequest({
      lnd: ctx.lnd,
      request,
      max_fee_mtokens: satsToMsatString(maxFeeSats),
      max_timeout_height: maxTimeoutHeight,
      pathfinding_timeout: timeoutSeconds * 1000,
      max_paths: maxPaths,
    });
  } catch (err) {
    throw toLightningError(err, "payInvoice", mapError);
  }

  const stream = new PushStream<PaymentEvent>(() => {
    emitter.removeAllListeners();
    emitter.on("error", () => undefined);
  });
  const fail = (err: GatewayError) => stream.fail(err);
  const guarded = (build: () => PaymentEvent, final: boolean) => {
    let event: PaymentEvent;
    try {
      event = build();
    } catch (err) {
      return fail(toLightningError(err, "payInvoice", mapError));
    }
    stream.push(event);
    if (final) stream.end();
  };

  emitter.on("paying", (p) => guarded(() => inFlightOf(p as LnPendingPayment), false));
  emitter.on("routing_failure", (p) => {
    const f = p as LnRoutingFailure;
    guarded(() => ({ type: "attempt_failed", reason: String(f.reason), failedAt: f.public_key }), false);
  });
  emitter.on("confirmed", (p) => guarded(() => succeededOf(p as LnConfirmedPayment), true));
  emitter.on("failed", (p) => guarded(() => failedEventOf(p as LnPaymentFailure), true));
  emitter.on("error", (err) => fail(toLightningError(err, "payInvoice", mapError)));
  return stream;
}
