/**
 * AddHoldInvoice (invoicesrpc): an invoice for a payment hash whose preimage LND does not know, so
 * HTLCs are held until we settle or cancel. The BOLT11 string LND answers is read without a
 * signature check (bolt11-header.ts): it must commit to our payment hash; its timestamp is the
 * creation time.
 */
import { satsToMsatString } from "../amounts.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import type { CreateHoldInvoiceArgs, HoldInvoice } from "../../swaps/ports/lightning.js";
import { bolt11Header } from "./bolt11-header.js";
import type { LndContext } from "./context.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectDate, expectHash32, expectInt, expectSats, expectText } from "./validate.js";

/** LND refuses final CLTV deltas below routing.MinCLTVDelta. */
export const MIN_INVOICE_CLTV_DELTA = 18;
/** Payers refuse total CLTVs above 2016 blocks, so a larger final delta is unpayable. */
export const MAX_INVOICE_CLTV_DELTA = 2016;
/** BOLT11 caps the description field at 639 bytes. */
export const MAX_DESCRIPTION_BYTES = 639;

/** invoicesrpc.AddHoldInvoiceResp, the field we read. */
interface LndAddHoldInvoiceResp {
  readonly payment_request: string;
}

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details.includes("invoice with payment hash already exists")) return "ln.invoice_already_exists";
  if (/^CLTV delta of \d+/.test(details)) return "ln.invalid_argument";
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
  // LND takes the expiry as whole seconds from now; under a second would mean its default.
  const expiresInMs = expiresAt.getTime() - Date.now();
  if (expiresInMs < 1000) {
    throw lnError("ln.invalid_argument", "expiresAt: must be at least one second in the future", {
      field: "expiresAt",
    });
  }
  const purpose = invoicePurpose(args);
  const valueMsat = satsToMsatString(amountSats);

  let res: LndAddHoldInvoiceResp;
  try {
    res = await ctx.rpc.unary<LndAddHoldInvoiceResp>("invoices", "AddHoldInvoice", {
      hash: Buffer.from(paymentHash, "hex"),
      value_msat: valueMsat,
      cltv_expiry: cltvDelta,
      expiry: Math.round(expiresInMs / 1000),
      private: false,
      ...purpose,
    });
  } catch (err) {
    throw toLightningError(err, "createHoldInvoice", mapError);
  }

  const bolt11 = res.payment_request;
  const header = typeof bolt11 === "string" && bolt11 !== "" ? bolt11Header(bolt11) : undefined;
  if (header === undefined) {
    throw lnError("ln.unexpected_response", "createHoldInvoice: LND returned no valid BOLT11 invoice", {
      operation: "createHoldInvoice",
      paymentHash,
    });
  }
  if (header.paymentHash !== paymentHash) {
    throw lnError("ln.unexpected_response", "createHoldInvoice: LND returned an invoice for another hash", {
      operation: "createHoldInvoice",
      paymentHash,
    });
  }
  return { paymentHash, bolt11, amountMsat: BigInt(valueMsat), createdAt: header.createdAt };
}

/**
 * The description or its hash, exactly one of them. LND encodes the hash and drops the memo when
 * both are set, so the hash alone is sent: what the invoice commits to is never ambiguous.
 * @throws GatewayError `ln.invalid_argument`
 */
function invoicePurpose(
  args: CreateHoldInvoiceArgs,
): { readonly memo: string } | { readonly description_hash: Buffer } {
  if (args.descriptionHash !== undefined) {
    if (args.description !== undefined) {
      throw lnError("ln.invalid_argument", "description and descriptionHash are exclusive", {
        field: "descriptionHash",
      });
    }
    return { description_hash: Buffer.from(expectHash32(args.descriptionHash, "descriptionHash"), "hex") };
  }
  return { memo: expectText(args.description, "description", MAX_DESCRIPTION_BYTES) };
}
