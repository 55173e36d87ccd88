/**
 * The LND adapter: implements the Lightning port with one adapter function per LND method.
 * Only the composition root constructs it.
 */
import { isGatewayError } from "../../domain/errors.js";
import { lnError } from "../errors.js";
import type { LightningPort } from "../../swaps/ports/lightning.js";
import { cancelHoldInvoice } from "./cancel-hold-invoice.js";
import { createHoldInvoice } from "./create-hold-invoice.js";
import { decodeInvoice } from "./decode-invoice.js";
import { getHeight } from "./get-height.js";
import { getInfo } from "./get-info.js";
import { getInvoice } from "./get-invoice.js";
import { getPayment } from "./get-payment.js";
import type { LndContext } from "./context.js";
import { payInvoice } from "./pay-invoice.js";
import { probeRoute } from "./probe-route.js";
import { settleHoldInvoice } from "./settle-hold-invoice.js";
import { subscribeToInvoice } from "./subscribe-to-invoice.js";
import { sharedCall } from "../../lib/shared-call.js";

/**
 * @param ctx from `connectLnd` (or a fake client in tests)
 * @returns the port, every method throwing GatewayError codes from LIGHTNING_ERRORS
 */
export function createLndLightning(ctx: LndContext): LightningPort {
  return reconnectingOnUnavailable(ctx, {
    getInfo: () => getInfo(ctx),
    // concurrent creates and steps share one GetInfo in flight (never a kept height)
    getHeight: sharedCall(() => getHeight(ctx)),
    createHoldInvoice: (args) => createHoldInvoice(ctx, args),
    subscribeToInvoice: (paymentHash) => subscribeToInvoice(ctx, paymentHash),
    settleHoldInvoice: (preimage) => settleHoldInvoice(ctx, preimage),
    cancelHoldInvoice: (paymentHash) => cancelHoldInvoice(ctx, paymentHash),
    getInvoice: (paymentHash) => getInvoice(ctx, paymentHash),
    decodeInvoice: (bolt11) => decodeInvoice(ctx, bolt11),
    payInvoice: (args) => payInvoice(ctx, args),
    getPayment: (paymentHash) => getPayment(ctx, paymentHash),
    probeRoute: (args) => probeRoute(ctx, args),
  });
}

/** Calls that may legitimately take long (a payment, a stream): no deadline of ours. */
const UNBOUNDED: ReadonlySet<string> = new Set(["payInvoice", "subscribeToInvoice", "probeRoute"]);
/** Deadline of every other LND call: a call caught by an LND restart can hang. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * Every call gets a deadline (`ln.timeout`), and one that fails with `ln.unavailable` or times out
 * asks the context to rebuild its gRPC client (rate-limited there), so the next call after an LND
 * restart connects afresh. Errors still reach the caller (the engine retries on its next tick).
 */
function reconnectingOnUnavailable(ctx: LndContext, port: LightningPort): LightningPort {
  const onError = (err: unknown): never => {
    if (isGatewayError(err, "ln.unavailable") || isGatewayError(err, "ln.timeout")) ctx.reconnect?.();
    throw err;
  };
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(port) as [string, (...a: unknown[]) => unknown][]) {
    wrapped[name] = (...args: unknown[]) => {
      try {
        const out = fn(...args);
        if (!(out instanceof Promise)) return out;
        return (UNBOUNDED.has(name) ? out : withDeadline(out, name)).catch(onError);
      } catch (err) {
        return onError(err);
      }
    };
  }
  return wrapped as unknown as LightningPort;
}

function withDeadline<T>(p: Promise<T>, operation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          lnError("ln.timeout", `${operation}: LND did not answer within ${CALL_TIMEOUT_MS / 1000} s`, {
            operation,
          }),
        ),
      CALL_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
