/**
 * Converts ln-service's payment results (`subscribeToPayViaRequest` events, `getPayment`) into
 * the port's types, parsing msat amounts exactly.
 */
import { msatToSatsCeil, parseMsat } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import type { PaymentEvent, PaymentFailureReason } from "../../swaps/ports/lightning.js";
import type { LnPaymentFailure } from "./ln-service.js";
import { isHex32 } from "../../lib/hex.js";

const FAILURES: ReadonlyArray<readonly [keyof LnPaymentFailure, PaymentFailureReason, LightningErrorCode]> = [
  ["is_route_not_found", "no_route", "ln.no_route"],
  ["is_insufficient_balance", "insufficient_balance", "ln.insufficient_balance"],
  ["is_invalid_payment", "incorrect_payment_details", "ln.incorrect_payment_details"],
  ["is_pathfinding_timeout", "timeout", "ln.payment_timeout"],
  ["is_canceled", "canceled", "ln.payment_canceled"],
];

/** Maps LND's failure reason flags; a FAILED payment without a known flag is `error`. */
export function failureOf(failed: LnPaymentFailure): {
  reason: PaymentFailureReason;
  code: LightningErrorCode;
} {
  for (const [flag, reason, code] of FAILURES) {
    if (failed[flag] === true) return { reason, code };
  }
  return { reason: "error", code: "ln.payment_failed" };
}

/**
 * The settled payment's preimage and amounts.
 * @throws GatewayError `ln.unexpected_response` when the preimage or an amount is malformed
 */
export function settledPaymentOf(p: { secret: unknown; mtokens: unknown; fee_mtokens: unknown }): {
  preimage: string;
  amountMsat: bigint;
  feeMsat: bigint;
  feeSats: bigint;
} {
  if (!isHex32(p.secret)) {
    throw lnError("ln.unexpected_response", "LND reported a settled payment without a valid preimage");
  }
  const feeMsat = parseMsat(p.fee_mtokens, "fee_mtokens");
  // ln-service's `mtokens` on a settled payment includes the fee
  const totalMsat = parseMsat(p.mtokens, "mtokens");
  if (feeMsat > totalMsat) {
    throw lnError("ln.unexpected_response", "LND reported a fee larger than the payment total");
  }
  return {
    preimage: p.secret.toLowerCase(),
    amountMsat: totalMsat - feeMsat,
    feeMsat,
    feeSats: msatToSatsCeil(feeMsat),
  };
}

/** Builds the `failed` event. */
export function failedEventOf(failed: LnPaymentFailure): PaymentEvent {
  return { type: "failed", ...failureOf(failed) };
}
