/**
 * LookupInvoice (lnrpc.Lightning) through ln-service `getInvoice`: an invoice's state, amounts
 * and HTLCs by payment hash.
 */
import type { LightningErrorCode } from "../errors.js";
import type { Invoice } from "../../swaps/ports/lightning.js";
import type { LndContext } from "./ln-service.js";
import { invoiceFromLn } from "./invoice-from-ln.js";
import { GRPC, toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectHash32 } from "./validate.js";

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  // LND answers NOT_FOUND "unable to locate invoice" for unknown hashes
  if ((info.details ?? "").includes("unable to locate invoice")) return "ln.invoice_not_found";
  if (info.grpcCode === GRPC.NOT_FOUND) return "ln.invoice_not_found";
  if (info.status === 503 && info.name?.startsWith("Expected")) return "ln.unexpected_response";
  return undefined;
}

/**
 * @param paymentHash hex
 * @returns the invoice, with state `open` | `held` | `settled` | `canceled`
 * @throws GatewayError `ln.invalid_argument`, `ln.invoice_not_found`, `ln.unavailable`,
 *   `ln.permission_denied`, `ln.unexpected_response`, `ln.unexpected`
 */
export async function getInvoice(ctx: LndContext, paymentHash: string): Promise<Invoice> {
  const id = expectHash32(paymentHash, "paymentHash");
  let res;
  try {
    res = await ctx.ln.getInvoice({ lnd: ctx.lnd, id });
  } catch (err) {
    throw toLightningError(err, "getInvoice", mapError);
  }
  return invoiceFromLn(res);
}
