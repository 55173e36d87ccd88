/**
 * LND's wire `lnrpc.Payment` (SendPaymentV2 / TrackPaymentV2 updates, as our gRPC loader gives
 * it: snake_case, 64-bit integers as decimal strings, enums as names) mapped to the port's
 * payment events and states, parsing msat amounts exactly.
 */
import { msatToSatsCeil, parseMsat } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import type { PaymentEvent, PaymentFailureReason } from "../../swaps/ports/lightning.js";
import { isHex32 } from "../../lib/hex.js";

/** lnrpc.Hop, the fields we read. */
export interface LndHop {
  readonly pub_key: string;
}

/** lnrpc.Route, the fields we read. */
export interface LndRoute {
  readonly total_time_lock: number;
  readonly total_fees_msat: string;
  readonly total_amt_msat: string;
  readonly hops: readonly LndHop[];
}

/** lnrpc.HTLCAttempt, the fields we read. */
export interface LndHtlcAttempt {
  readonly attempt_id: string;
  /** `IN_FLIGHT`, `SUCCEEDED`, `FAILED`. */
  readonly status: string;
  readonly route: LndRoute | null;
  /** lnrpc.Failure: `code` is the BOLT4 failure's enum name; index 0 is this node. */
  readonly failure: { readonly code: string; readonly failure_source_index: number } | null;
}

/** lnrpc.Payment, the fields we read. */
export interface LndPayment {
  readonly payment_hash: string;
  /** Hex; all zeros until the payment succeeded. */
  readonly payment_preimage: string;
  /** Amount to the payee, without fees. */
  readonly value_msat: string;
  /** Fees of the settled HTLCs. */
  readonly fee_msat: string;
  /** `INITIATED`, `IN_FLIGHT`, `SUCCEEDED`, `FAILED` (`UNKNOWN` is deprecated). */
  readonly status: string;
  /** `FAILURE_REASON_*`, `FAILURE_REASON_NONE` unless FAILED. */
  readonly failure_reason: string;
  readonly htlcs: readonly LndHtlcAttempt[];
}

const FAILURES: Readonly<Record<string, readonly [PaymentFailureReason, LightningErrorCode]>> = {
  FAILURE_REASON_NO_ROUTE: ["no_route", "ln.no_route"],
  FAILURE_REASON_INSUFFICIENT_BALANCE: ["insufficient_balance", "ln.insufficient_balance"],
  FAILURE_REASON_INCORRECT_PAYMENT_DETAILS: ["incorrect_payment_details", "ln.incorrect_payment_details"],
  FAILURE_REASON_TIMEOUT: ["timeout", "ln.payment_timeout"],
  FAILURE_REASON_CANCELED: ["canceled", "ln.payment_canceled"],
};

/** Maps LND's failure reason; `FAILURE_REASON_ERROR` or anything unknown is `error`. */
export function failureOf(failureReason: string): { reason: PaymentFailureReason; code: LightningErrorCode } {
  const known = Object.hasOwn(FAILURES, failureReason) ? FAILURES[failureReason] : undefined;
  return known === undefined
    ? { reason: "error", code: "ln.payment_failed" }
    : { reason: known[0], code: known[1] };
}

/**
 * The settled payment's preimage and amounts.
 * @throws GatewayError `ln.unexpected_response` when the preimage or an amount is malformed
 */
export function settledPaymentOf(p: LndPayment): {
  preimage: string;
  amountMsat: bigint;
  feeMsat: bigint;
  feeSats: bigint;
} {
  if (!isHex32(p.payment_preimage) || /^0+$/.test(p.payment_preimage)) {
    throw lnError("ln.unexpected_response", "LND reported a settled payment without a valid preimage");
  }
  const feeMsat = parseMsat(p.fee_msat, "fee_msat");
  return {
    preimage: p.payment_preimage.toLowerCase(),
    amountMsat: parseMsat(p.value_msat, "value_msat"),
    feeMsat,
    feeSats: msatToSatsCeil(feeMsat),
  };
}

function hashOf(p: LndPayment): string {
  if (!isHex32(p.payment_hash)) {
    throw lnError("ln.unexpected_response", "LND reported a payment without a valid payment hash");
  }
  return p.payment_hash.toLowerCase();
}

function routeOf(htlc: LndHtlcAttempt, i: number): LndRoute {
  if (htlc.route === null || typeof htlc.route !== "object" || !Array.isArray(htlc.route.hops)) {
    throw lnError("ln.unexpected_response", `LND reported an HTLC attempt without a route (htlcs[${i}])`);
  }
  return htlc.route;
}

/**
 * The `in_flight` event: the HTLCs in flight, their amount plus fees, their fees and the highest
 * timeout among them; undefined while no HTLC is in flight (between attempts).
 * @throws GatewayError `ln.unexpected_response` on a malformed hash, route or amount
 */
export function inFlightOf(p: LndPayment): PaymentEvent | undefined {
  const paymentHash = hashOf(p);
  const routes = p.htlcs.flatMap((h, i) => (h.status === "IN_FLIGHT" ? [routeOf(h, i)] : []));
  if (routes.length === 0) return undefined;
  let totalMsat = 0n;
  let feeMsat = 0n;
  for (const [i, route] of routes.entries()) {
    totalMsat += parseMsat(route.total_amt_msat, `in-flight route ${i} total_amt_msat`);
    feeMsat += parseMsat(route.total_fees_msat, `in-flight route ${i} total_fees_msat`);
  }
  const timeouts = routes.map((r) => r.total_time_lock).filter((t) => Number.isSafeInteger(t) && t > 0);
  return {
    type: "in_flight",
    paymentHash,
    totalMsat,
    feeMsat,
    paths: routes.length,
    timeoutHeight: timeouts.length === 0 ? undefined : Math.max(...timeouts),
  };
}

/** `TEMPORARY_CHANNEL_FAILURE` → `TemporaryChannelFailure` (BOLT4's name). */
function failureName(code: string): string {
  return code
    .toLowerCase()
    .split("_")
    .map((w) => (w === "" ? "" : w[0]!.toUpperCase() + w.slice(1)))
    .join("");
}

/**
 * The `attempt_failed` event of a FAILED HTLC: the failure's name and the hop that reported it
 * (undefined when this node did, or LND could not tell).
 */
export function attemptFailedOf(htlc: LndHtlcAttempt): PaymentEvent {
  const failure = htlc.failure;
  const code = typeof failure?.code === "string" && failure.code !== "" ? failure.code : "UNKNOWN_FAILURE";
  const index = failure?.failure_source_index ?? 0;
  const from = index > 0 ? htlc.route?.hops?.[index - 1]?.pub_key : undefined;
  return { type: "attempt_failed", reason: failureName(code), failedAt: from === "" ? undefined : from };
}

/**
 * The `succeeded` event.
 * @throws GatewayError `ln.unexpected_response` on a malformed hash, preimage or amount
 */
export function succeededOf(p: LndPayment): PaymentEvent {
  return { type: "succeeded", paymentHash: hashOf(p), ...settledPaymentOf(p) };
}

/** Builds the `failed` event. */
export function failedEventOf(p: LndPayment): PaymentEvent {
  return { type: "failed", ...failureOf(p.failure_reason) };
}
