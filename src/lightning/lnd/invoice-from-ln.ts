/**
 * Converts ln-service's invoice objects (`getInvoice`, `subscribeToInvoice` updates) into the
 * port's Invoice, parsing every msat amount exactly.
 */
import { parseMsat, parseOptionalMsat } from "../amounts.js";
import { lnError } from "../errors.js";
import type { Invoice, InvoiceHtlc, InvoiceState } from "../../swaps/ports/lightning.js";
import type { LnInvoice, LnInvoicePayment } from "./ln-service.js";
import { isLowerHex32 } from "../../lib/hex.js";

/** LND's default final CLTV delta for invoices that do not set one. */
const DEFAULT_CLTV_DELTA = 18;
const ZERO_PREIMAGE = "0".repeat(64);

function stateOf(inv: LnInvoice): InvoiceState {
  if (inv.is_confirmed) return "settled";
  if (inv.is_canceled === true) return "canceled";
  if (inv.is_held === true) return "held";
  return "open";
}

function htlcOf(p: LnInvoicePayment, index: number): InvoiceHtlc {
  if (!Number.isSafeInteger(p.timeout) || p.timeout <= 0) {
    throw lnError("ln.unexpected_response", "invoice HTLC has a malformed timeout height", { index });
  }
  const state = p.is_confirmed ? "settled" : p.is_held ? "held" : "canceled";
  return { state, amountMsat: parseMsat(p.mtokens, `payments[${index}].mtokens`), cltvExpiry: p.timeout };
}

function dateOf(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw lnError("ln.unexpected_response", `malformed ${field}`, { field });
  return date;
}

/**
 * @throws GatewayError `ln.unexpected_response` when an amount, date or height is malformed
 */
export function invoiceFromLn(inv: LnInvoice): Invoice {
  const state = stateOf(inv);
  const preimage = typeof inv.secret === "string" ? inv.secret.toLowerCase() : "";
  return {
    paymentHash: inv.id.toLowerCase(),
    state,
    bolt11: inv.request === undefined || inv.request === "" ? undefined : inv.request,
    amountMsat: parseMsat(inv.mtokens, "mtokens"),
    receivedMsat: parseOptionalMsat(inv.received_mtokens, "received_mtokens"),
    cltvDelta: inv.cltv_delta ?? DEFAULT_CLTV_DELTA,
    createdAt: dateOf(inv.created_at, "created_at"),
    expiresAt: dateOf(inv.expires_at, "expires_at"),
    htlcs: (inv.payments ?? []).map(htlcOf),
    // A hold invoice carries no preimage until settled; LND reports zeros or nothing before.
    preimage:
      state === "settled" && isLowerHex32(preimage) && preimage !== ZERO_PREIMAGE ? preimage : undefined,
  };
}
