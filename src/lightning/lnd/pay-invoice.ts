/**
 * SendPaymentV2 (routerrpc) on our gRPC client: pays a BOLT11 invoice within a fee budget and a
 * CLTV limit, streaming attempts until the payment settles or fails.
 *
 * Before sending, as ln-service did for us: the invoice is decoded (DecodePayReq) for its final
 * CLTV delta and features, and the absolute CLTV limit becomes SendPaymentV2's `cltv_limit`
 * delta from the current height (GetInfo). A limit below height + final delta + 3 blocks is
 * refused here, so LND never records such a payment.
 */
import { networkFromBolt11 } from "../../domain/lightning-network.js";
import { satsToMsatString } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import { PushStream, type EventStream } from "../../lib/event-stream.js";
import type { PayInvoiceArgs, PaymentEvent } from "../../swaps/ports/lightning.js";
import { decodePayReq } from "./decode-invoice.js";
import type { LndContext } from "./context.js";
import { blockHeightOf } from "./get-info.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import {
  attemptFailedOf,
  failedEventOf,
  inFlightOf,
  succeededOf,
  type LndPayment,
} from "./payment-from-ln.js";
import type { LndStream } from "./rpc/lnd-rpc.js";
import { expectBolt11, expectInt, expectSats } from "./validate.js";

/** Absolute heights below bitcoin's locktime threshold. */
const MAX_HEIGHT = 499_999_999;
const MAX_PATHFINDING_SECONDS = 3600;
const MAX_PATHS = 128;
/** LND pads the final CLTV delta with 3 blocks (routing.BlockPadding). */
const CLTV_PADDING = 3;
/** BOLT11's default final CLTV delta. */
const DEFAULT_FINAL_CLTV_DELTA = 18;
/** AMP (feature bits 30/31): SendPaymentV2 would need `amp`, which we do not do. */
const UNSUPPORTED_FEATURES: ReadonlySet<number> = new Set([30, 31]);
/** LND's refusal of a CLTV limit at or below the padded final delta (routing.ValidateCLTVLimit). */
const CLTV_LIMIT_REFUSED = /cltv limit \d+ should be greater than \d+/;

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details.includes("invoice is already paid")) return "ln.already_paid";
  if (details.includes("payment is in transition")) return "ln.payment_in_flight";
  if (details.includes("invoice expired")) return "ln.invoice_expired";
  if (details.includes("not for current active network")) return "ln.invoice_wrong_network";
  if (details.includes("amount must be specified")) return "ln.invalid_invoice";
  return undefined;
}

/** Stops observing a stream; grpc-js reports a cancel as an error nobody must see. */
function detach(stream: LndStream<unknown>, cancel: boolean): void {
  stream.removeAllListeners();
  stream.on("error", () => undefined);
  if (cancel) stream.cancel();
}

/**
 * @returns the node's best height (GetInfo)
 * @throws GatewayError `ln.unexpected_response` on a malformed height, else LND's error mapped
 */
async function currentHeight(ctx: LndContext): Promise<number> {
  return blockHeightOf(
    await ctx.rpc.unary<{ block_height?: unknown }>("lightning", "GetInfo", {}),
    "payInvoice",
  );
}

/**
 * Starts paying `bolt11`. The payment is sent `cancelable` (as ln-service sent it): closing the
 * stream before the outcome stops LND from making new attempts, while HTLCs already out still
 * settle or fail. Reconcile with getPayment after a restart or a thrown error.
 * @param args.maxFeeSats routing fee budget in sats
 * @param args.maxTimeoutHeight absolute height no HTLC of the payment may exceed (CLTV limit)
 * @param args.timeoutSeconds pathfinding time budget in seconds
 * @param args.maxPaths MPP parts allowed (1 = single path)
 * @returns the stream: `in_flight` / `attempt_failed` events, ending with `succeeded` or
 *   `failed` (definite). Iterating throws `ln.already_paid`, `ln.payment_in_flight`,
 *   `ln.invoice_expired`, `ln.cltv_limit_too_low`, `ln.unsupported_feature`,
 *   `ln.invoice_wrong_network`, `ln.invalid_invoice`, `ln.unavailable`,
 *   `ln.subscription_closed`, `ln.unexpected_response`, `ln.unexpected`
 * @throws GatewayError `ln.invalid_argument`, `ln.invalid_invoice` synchronously
 */
export function payInvoice(ctx: LndContext, args: PayInvoiceArgs): EventStream<PaymentEvent> {
  const request = expectBolt11(args.bolt11, "bolt11");
  const maxFeeSats = expectSats(args.maxFeeSats, "maxFeeSats", 0n);
  const maxTimeoutHeight = expectInt(args.maxTimeoutHeight, "maxTimeoutHeight", 1, MAX_HEIGHT);
  const timeoutSeconds = expectInt(args.timeoutSeconds, "timeoutSeconds", 1, MAX_PATHFINDING_SECONDS);
  const maxPaths = expectInt(args.maxPaths, "maxPaths", 1, MAX_PATHS);
  if (networkFromBolt11(request) === undefined) {
    throw lnError("ln.invalid_invoice", "payInvoice: not a BOLT11 invoice (unknown prefix)", {});
  }

  let grpc: LndStream<LndPayment> | undefined;
  let final = false;
  const stream = new PushStream<PaymentEvent>(() => {
    // after the final update LND ends the stream itself: nothing is left to cancel
    if (grpc !== undefined) detach(grpc, !final);
  });
  const fail = (err: unknown) => stream.fail(toLightningError(err, "payInvoice", mapError));
  const finish = (event: PaymentEvent) => {
    final = true;
    stream.push(event);
    stream.end();
  };
  const reported = new Set<string>();

  const onUpdate = (p: LndPayment) => {
    switch (p.status) {
      case "SUCCEEDED":
        return finish(succeededOf(p));
      case "FAILED":
        return finish(failedEventOf(p));
      case "IN_FLIGHT": {
        for (const htlc of p.htlcs ?? []) {
          if (htlc.status !== "FAILED" || reported.has(htlc.attempt_id)) continue;
          reported.add(htlc.attempt_id);
          stream.push(attemptFailedOf(htlc));
        }
        const inFlight = inFlightOf(p);
        if (inFlight !== undefined) stream.push(inFlight);
        return;
      }
      default:
        // INITIATED: recorded, no HTLC sent yet
        return;
    }
  };

  const start = async () => {
    const [height, payReq] = await Promise.all([
      currentHeight(ctx),
      decodePayReq(ctx, request, "payInvoice"),
    ]);
    if (stream.isDone) return;
    const unsupported = Object.keys(payReq.features ?? {})
      .map(Number)
      .find((bit) => UNSUPPORTED_FEATURES.has(bit));
    if (unsupported !== undefined) {
      throw lnError("ln.unsupported_feature", `payInvoice: the invoice requires feature bit ${unsupported}`, {
        bit: unsupported,
      });
    }
    const finalCltv = Number(payReq.cltv_expiry) || DEFAULT_FINAL_CLTV_DELTA;
    const cltvLimit = maxTimeoutHeight - height;
    if (cltvLimit < finalCltv + CLTV_PADDING) {
      throw lnError(
        "ln.cltv_limit_too_low",
        `payInvoice: CLTV limit ${maxTimeoutHeight} leaves ${cltvLimit} blocks above height ${height}, ` +
          `below the invoice's final delta ${finalCltv} + ${CLTV_PADDING}`,
        { maxTimeoutHeight, height, finalCltvDelta: finalCltv },
      );
    }
    const sub = ctx.rpc.stream<LndPayment>("router", "SendPaymentV2", {
      payment_request: request,
      fee_limit_msat: satsToMsatString(maxFeeSats),
      cltv_limit: cltvLimit,
      timeout_seconds: timeoutSeconds,
      max_parts: maxPaths,
      allow_self_payment: true,
      cancelable: true,
      no_inflight_updates: false,
    });
    grpc = sub;
    sub.on("data", (p) => {
      try {
        onUpdate(p);
      } catch (err) {
        fail(err);
      }
    });
    sub.on("error", (err) => {
      // LND refuses a limit at or below final delta + 3 before recording the payment
      const details = (err as { details?: unknown } | null)?.details;
      if (typeof details === "string" && CLTV_LIMIT_REFUSED.test(details)) {
        return finish({ type: "failed", reason: "no_route", code: "ln.no_route" });
      }
      return fail(err);
    });
    sub.on("end", () =>
      stream.fail(
        lnError("ln.subscription_closed", "payInvoice: LND ended the payment stream before its outcome"),
      ),
    );
  };
  start().catch((err: unknown) => fail(err));
  return stream;
}
