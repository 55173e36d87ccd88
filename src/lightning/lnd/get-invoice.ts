/**
 * LookupInvoice (lnrpc.Lightning): an invoice's state, amounts and HTLCs by payment hash.
 */
import type { LightningErrorCode } from "../errors.js";
import type { Invoice } from "../../swaps/ports/lightning.js";
import type { LndContext } from "./context.js";
import { invoiceFromLnd, type LndInvoice } from "./invoice-from-ln.js";
import { GRPC, toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectHash32 } from "./validate.js";

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  // LND answers NOT_FOUND "unable to locate invoice" for unknown hashes
  if ((info.details ?? "").includes("unable to locate invoice")) return "ln.invoice_not_found";
  if (info.grpcCode === GRPC.NOT_FOUND) return "ln.invoice_not_found";
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
  let res: LndInvoice;
  try {
    res = await ctx.rpc.unary<LndInvoice>("lightning", "LookupInvoice", { r_hash: Buffer.from(id, "hex") });
  } catch (err) {
    throw toLightningError(err, "getInvoice", mapError);
  }
  return invoiceFromLnd(res);
}
