/**
 * TrackPaymentV2 (routerrpc) through ln-service `getPayment`: what LND knows of an outgoing
 * payment, for resuming swaps after a restart and before any refund decision.
 */
import { lnError, type LightningErrorCode } from "../errors.js";
import type { PaymentStatus } from "../../swaps/ports/lightning.js";
import type { LndContext } from "./ln-service.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { failureOf, settledPaymentOf } from "./payment-from-ln.js";
import { expectHash32, expectInt } from "./validate.js";

/** ln-service waits for an HTLC update on in-flight payments; between attempts none may come. */
export const DEFAULT_GET_PAYMENT_TIMEOUT_MS = 30_000;

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  // LND's "payment isn't initiated", as ln-service names it
  if (info.name === "SentPaymentNotFound") return "ln.payment_not_found";
  if (info.name === "ExpectedLndGrpcApiObjectToLookupPayment") return "ln.missing_subserver";
  if (info.name === "UnknownStatusOfPayment") return "ln.subscription_closed";
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(lnError("ln.timeout", `getPayment: no answer from LND within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * @param paymentHash hex
 * @param timeoutMs how long to wait for LND's answer (default 30 s)
 * @returns `none` when LND never started paying this hash, `in_flight`, `succeeded` with the
 *   preimage and fee (msat exact, sats rounded up), or `failed` (definite) with the reason
 * @throws GatewayError `ln.invalid_argument`, `ln.timeout`, `ln.unavailable`,
 *   `ln.missing_subserver`, `ln.permission_denied`, `ln.unexpected_response`, `ln.unexpected`
 */
export async function getPayment(
  ctx: LndContext,
  paymentHash: string,
  timeoutMs: number = DEFAULT_GET_PAYMENT_TIMEOUT_MS,
): Promise<PaymentStatus> {
  const id = expectHash32(paymentHash, "paymentHash");
  const ms = expectInt(timeoutMs, "timeoutMs", 1, 600_000);
  let res;
  try {
    res = await withTimeout(ctx.ln.getPayment({ lnd: ctx.lnd, id }), ms);
  } catch (err) {
    const mapped = toLightningError(err, "getPayment", mapError);
    if (mapped.code === "ln.payment_not_found") return { status: "none" };
    throw mapped;
  }
  if (res.is_confirmed === true && res.payment !== undefined) {
    return { status: "succeeded", ...settledPaymentOf(res.payment) };
  }
  if (res.is_failed === true) return { status: "failed", ...failureOf(res.failed ?? {}) };
  if (res.is_pending === true) return { status: "in_flight" };
  throw lnError("ln.unexpected_response", "getPayment: LND reported no payment state", { paymentHash: id });
}
