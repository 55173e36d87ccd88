/**
 * Converts LND's wire `lnrpc.Invoice` (LookupInvoice answers, SubscribeSingleInvoice updates) into
 * the port's Invoice, parsing every msat amount exactly from its decimal string.
 */
import { parseMsat, parseOptionalMsat } from "../amounts.js";
import { lnError } from "../errors.js";
import { safeUintOf } from "./chain-wire.js";
import type { Invoice, InvoiceHtlc, InvoiceState } from "../../swaps/ports/lightning.js";

/** `lnrpc.InvoiceHTLC` as our client decodes it (64-bit integers as strings, enums as names). */
export interface LndInvoiceHtlc {
  readonly amt_msat: string;
  readonly expiry_height: number;
  /** `ACCEPTED` | `SETTLED` | `CANCELED` */
  readonly state: string;
}

/** `lnrpc.Invoice`, the fields we read. */
export interface LndInvoice {
  readonly r_hash: Buffer;
  readonly r_preimage: Buffer;
  readonly value: string;
  readonly value_msat: string;
  /** Unix seconds. */
  readonly creation_date: string;
  /** Seconds after creation. */
  readonly expiry: string;
  readonly cltv_expiry: string;
  readonly payment_request: string;
  readonly amt_paid_msat: string;
  /** `OPEN` | `SETTLED` | `CANCELED` | `ACCEPTED` */
  readonly state: string;
  readonly htlcs: readonly LndInvoiceHtlc[];
}

/** LND's default final CLTV delta for invoices that do not set one. */
const DEFAULT_CLTV_DELTA = 18;
const MSAT_PER_SAT = 1000n;

const INVOICE_STATES: Readonly<Record<string, InvoiceState>> = {
  OPEN: "open",
  ACCEPTED: "held",
  SETTLED: "settled",
  CANCELED: "canceled",
};

const HTLC_STATES: Readonly<Record<string, InvoiceHtlc["state"]>> = {
  ACCEPTED: "held",
  SETTLED: "settled",
  CANCELED: "canceled",
};

function malformed(field: string, value: unknown): never {
  throw lnError("ln.unexpected_response", `LND returned an invoice with a malformed ${field}`, {
    field,
    value: typeof value === "string" || typeof value === "number" ? String(value) : typeof value,
  });
}

/** A non-negative integer field LND sends as a decimal string, within Number's safe range. */
function seconds(value: unknown, field: string): number {
  return safeUintOf(value) ?? malformed(field, value);
}

function hashHex(value: unknown, field: string): string {
  if (!Buffer.isBuffer(value) || value.length !== 32) malformed(field, value);
  return value.toString("hex");
}

function htlcOf(h: LndInvoiceHtlc, index: number): InvoiceHtlc {
  const state = HTLC_STATES[h.state];
  if (state === undefined) malformed(`htlcs[${index}].state`, h.state);
  if (!Number.isSafeInteger(h.expiry_height) || h.expiry_height <= 0) {
    throw lnError("ln.unexpected_response", "invoice HTLC has a malformed timeout height", { index });
  }
  return {
    state,
    amountMsat: parseMsat(h.amt_msat, `htlcs[${index}].amt_msat`),
    cltvExpiry: h.expiry_height,
  };
}

/** `value_msat`, or `value` in sats when LND left the msat field zero (an invoice made in sats). */
function amountOf(inv: LndInvoice): bigint {
  const msat = parseMsat(inv.value_msat, "value_msat");
  return msat === 0n ? parseOptionalMsat(inv.value, "value") * MSAT_PER_SAT : msat;
}

/**
 * @throws GatewayError `ln.unexpected_response` when a hash, amount, date, height or state is
 *   malformed
 */
export function invoiceFromLnd(inv: LndInvoice): Invoice {
  const state = INVOICE_STATES[inv.state];
  if (state === undefined) malformed("state", inv.state);
  const createdSeconds = seconds(inv.creation_date, "creation_date");
  if (createdSeconds === 0) malformed("creation_date", inv.creation_date);
  const expirySeconds = seconds(inv.expiry, "expiry");
  const cltvDelta = seconds(inv.cltv_expiry, "cltv_expiry");
  // A hold invoice carries no preimage until settled; LND reports zeros or nothing before.
  const preimage =
    state === "settled" && Buffer.isBuffer(inv.r_preimage) && inv.r_preimage.length === 32
      ? inv.r_preimage.toString("hex")
      : undefined;
  return {
    paymentHash: hashHex(inv.r_hash, "r_hash"),
    state,
    bolt11:
      typeof inv.payment_request === "string" && inv.payment_request !== "" ? inv.payment_request : undefined,
    amountMsat: amountOf(inv),
    receivedMsat: parseOptionalMsat(inv.amt_paid_msat, "amt_paid_msat"),
    cltvDelta: cltvDelta === 0 ? DEFAULT_CLTV_DELTA : cltvDelta,
    createdAt: new Date(createdSeconds * 1000),
    expiresAt: new Date((createdSeconds + expirySeconds) * 1000),
    htlcs: (inv.htlcs ?? []).map(htlcOf),
    preimage: preimage === undefined || /^0+$/.test(preimage) ? undefined : preimage,
  };
}
