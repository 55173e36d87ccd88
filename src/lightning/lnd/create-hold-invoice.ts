/**
 * AddHoldInvoice (invoicesrpc) on ln-service's gRPC client (`addHoldInvoice` in
 * add-hold-invoice-rpc.ts, `createHodlInvoice`'s arguments and answer): an invoice for a payment
 * hash whose preimage LND does not know, so HTLCs are held until we settle or cancel.
 */
import { parseMsat, satsToMsatString } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import type { CreateHoldInvoiceArgs, HoldInvoice } from "../../swaps/ports/lightning.js";
import type { LndContext } from "./ln-service.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectDate, expectHash32, expectInt, expectSats, expectText } from "./validate.js";

/** LND refuses final CLTV deltas below routing.MinCLTVDelta. */
export const MIN_INVOICE_CLTV_DELTA = 18;
/** Payers refuse total CLTVs above 2016 blocks, so a larger final delta is unpayable. */
export const MAX_INVOICE_CLTV_DELTA = 2016;
/** BOLT11 caps the description field at 639 bytes. */
export const MAX_DESCRIPTION_BYTES = 639;

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details.includes("invoice with payment hash already exists")) return "ln.invoice_already_exists";
  if (/^CLTV delta of \d+/.test(details)) return "ln.invalid_argument";
  if (info.name === "ExpectedInvoicesLndToCreateHodlInvoice") return "ln.missing_subserver";
  if (
    info.name?.startsWith("ExpectedValidPaymentRequest") ||
    info.name?.startsWith("ExpectedPaymentRequest")
  ) {
    return "ln.unexpected_response";
  }
  return undefined;
}

/**
 * Creates a hold invoice.
 * @param args.paymentHash sha256 of the preimage, hex
 * @param args.amountSats amount in sats, ≥ 1
 * @param args.cltvDelta final CLTV delta in blocks, 18–2016
 * @param args.expiresAt expiry time, in the future
 * @param args.description at most 639 bytes UTF-8; or
 * @param args.descriptionHash 32 bytes hex, committed as BOLT11 `h` instead of a description
 * @returns the invoice's hash, BOLT11 string, amount in msat and creation time
 * @throws GatewayError `ln.invalid_argument`, `ln.invoice_already_exists`, `ln.missing_subserver`,
 *   `ln.unavailable`, `ln.permission_denied`, `ln.unexpected_response`, `ln.unexpected`
 */
export async function createHoldInvoice(ctx: LndContext, args: CreateHoldInvoiceArgs): Promise<HoldInvoice> {
  const paymentHash = expectHash32(args.paymentHash, "paymentHash");
  const amountSats = expectSats(args.amountSats, "amountSats", 1n);
  const cltvDelta = expectInt(args.cltvDelta, "cltvDelta", MIN_INVOICE_CLTV_DELTA, MAX_INVOICE_CLTV_DELTA);
  const expiresAt = expectDate(args.expiresAt, "expiresAt");
  // ln-service turns expires_at into whole seconds from now; under a second would mean "default".
  if (expiresAt.getTime() - Date.now() < 1000) {
    throw lnError("ln.invalid_argument", "expiresAt: must be at least one second in the future", {
      field: "expiresAt",
    });
  }
  const purpose = invoicePurpose(args);

  let res;
  try {
    res = await ctx.ln.addHoldInvoice({
      lnd: ctx.lnd,
      id: paymentHash,
      mtokens: satsToMsatString(amountSats),
      cltv_delta: cltvDelta,
      expires_at: expiresAt.toISOString(),
      ...purpose,
    });
  } catch (err) {
    throw toLightningError(err, "createHoldInvoice", mapError);
  }

  if (typeof res.request !== "string" || res.request === "" || res.id !== paymentHash) {
    throw lnError("ln.unexpected_response", "createHoldInvoice: LND returned an invoice for another hash", {
      paymentHash,
    });
  }
  const createdAt = new Date(res.created_at);
  if (Number.isNaN(createdAt.getTime())) {
    throw lnError("ln.unexpected_response", "createHoldInvoice: malformed created_at", { paymentHash });
  }
  return {
    paymentHash,
    bolt11: res.request,
    amountMsat: parseMsat(res.mtokens, "mtokens"),
    createdAt,
  };
}

/**
 * The description or its hash, exactly one of them. LND encodes the hash and drops the memo when
 * both are set, so the hash alone is sent: what the invoice commits to is never ambiguous.
 * @throws GatewayError `ln.invalid_argument`
 */
function invoicePurpose(
  args: CreateHoldInvoiceArgs,
): { readonly description: string } | { readonly description_hash: string } {
  if (args.descriptionHash !== undefined) {
    if (args.description !== undefined) {
      throw lnError("ln.invalid_argument", "description and descriptionHash are exclusive", {
        field: "descriptionHash",
      });
    }
    return { description_hash: expectHash32(args.descriptionHash, "descriptionHash") };
  }
  return { description: expectText(args.description, "description", MAX_DESCRIPTION_BYTES) };
}
