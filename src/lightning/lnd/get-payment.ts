/**
 * TrackPaymentV2 (routerrpc) on our gRPC client: what LND knows of an outgoing payment, for
 * resuming swaps after a restart and before any refund decision. LND answers the payment's
 * current state first; we read that one update and cancel the stream.
 */
import { lnError, type LightningErrorCode } from "../errors.js";
import type { PaymentStatus } from "../../swaps/ports/lightning.js";
import type { LndContext } from "./context.js";
import { GRPC, toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { failureOf, settledPaymentOf, type LndPayment } from "./payment-from-ln.js";
import type { LndStream } from "./rpc/lnd-rpc.js";
import { expectHash32, expectInt } from "./validate.js";

/** How long to wait for LND's first update when the caller gives no timeout. */
export const DEFAULT_GET_PAYMENT_TIMEOUT_MS = 30_000;

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  // routerrpc answers an unknown hash with NOT_FOUND "payment isn't initiated"
  if ((info.details ?? "").includes("payment isn't initiated")) return "ln.payment_not_found";
  if (info.grpcCode === GRPC.NOT_FOUND) return "ln.payment_not_found";
  return undefined;
}

/** The port's state of LND's payment. */
function statusOf(p: LndPayment, paymentHash: string): PaymentStatus {
  switch (p.status) {
    case "SUCCEEDED":
      return { status: "succeeded", ...settledPaymentOf(p) };
    case "FAILED":
      return { status: "failed", ...failureOf(p.failure_reason) };
    // INITIATED: recorded, no HTLC sent yet; IN_FLIGHT: HTLCs out or between attempts
    case "INITIATED":
    case "IN_FLIGHT":
      return { status: "in_flight" };
    default:
      throw lnError("ln.unexpected_response", `getPayment: LND reported payment status ${String(p.status)}`, {
        paymentHash,
      });
  }
}

/** Stops a stream we no longer read; grpc-js reports the cancel as an error nobody must see. */
function stop(stream: LndStream<unknown>): void {
  stream.removeAllListeners();
  stream.on("error", () => undefined);
  stream.cancel();
}

/**
 * @param paymentHash hex
 * @param timeoutMs how long to wait for LND's answer (default 30 s)
 * @returns `none` when LND never started paying this hash, `in_flight`, `succeeded` with the
 *   preimage and fee (msat exact, sats rounded up), or `failed` (definite) with the reason
 * @throws GatewayError `ln.invalid_argument`, `ln.timeout`, `ln.unavailable`,
 *   `ln.missing_subserver`, `ln.permission_denied`, `ln.subscription_closed`,
 *   `ln.unexpected_response`, `ln.unexpected`
 */
export async function getPayment(
  ctx: LndContext,
  paymentHash: string,
  timeoutMs: number = DEFAULT_GET_PAYMENT_TIMEOUT_MS,
): Promise<PaymentStatus> {
  const id = expectHash32(paymentHash, "paymentHash");
  const ms = expectInt(timeoutMs, "timeoutMs", 1, 600_000);
  return new Promise<PaymentStatus>((resolve, reject) => {
    let stream: LndStream<LndPayment>;
    try {
      stream = ctx.rpc.stream<LndPayment>("router", "TrackPaymentV2", {
        payment_hash: Buffer.from(id, "hex"),
        no_inflight_updates: false,
      });
    } catch (err) {
      reject(toLightningError(err, "getPayment", mapError));
      return;
    }
    let settled = false;
    const finish = (outcome: () => PaymentStatus) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop(stream);
      try {
        resolve(outcome());
      } catch (err) {
        reject(toLightningError(err, "getPayment", mapError));
      }
    };
    const timer = setTimeout(
      () =>
        finish(() => {
          throw lnError("ln.timeout", `getPayment: no answer from LND within ${ms} ms`, { paymentHash: id });
        }),
      ms,
    );
    stream.on("data", (p) => finish(() => statusOf(p, id)));
    stream.on("error", (err) =>
      finish(() => {
        const mapped = toLightningError(err, "getPayment", mapError);
        if (mapped.code === "ln.payment_not_found") return { status: "none" };
        throw mapped;
      }),
    );
    stream.on("end", () =>
      finish(() => {
        throw lnError(
          "ln.subscription_closed",
          "getPayment: LND ended the stream without the payment's state",
          {
            paymentHash: id,
          },
        );
      }),
    );
  });
}
