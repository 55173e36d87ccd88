/**
 * CancelInvoice (invoicesrpc): fails the held HTLCs back and makes the invoice unpayable.
 */
import type { LightningErrorCode } from "../errors.js";
import type { LndContext } from "./context.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectHash32 } from "./validate.js";

/** LND's texts (invoices/errors.go); its gRPC code is UNKNOWN for all of them. */
function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details.includes("unable to locate invoice")) return "ln.invoice_not_found";
  if (details.includes("invoice already settled")) return "ln.invoice_already_settled";
  if (details.includes("invoice already canceled")) return "ln.invoice_already_canceled";
  return undefined;
}

/**
 * Cancels an open or held invoice (LND 0.20 answers success for one already canceled).
 * @param paymentHash hex
 * @throws GatewayError `ln.invalid_argument`, `ln.invoice_not_found`, `ln.invoice_already_settled`,
 *   `ln.invoice_already_canceled`, `ln.missing_subserver`, `ln.unavailable`,
 *   `ln.permission_denied`, `ln.unexpected`
 */
export async function cancelHoldInvoice(ctx: LndContext, paymentHash: string): Promise<void> {
  const id = expectHash32(paymentHash, "paymentHash");
  try {
    await ctx.rpc.unary("invoices", "CancelInvoice", { payment_hash: Buffer.from(id, "hex") });
  } catch (err) {
    throw toLightningError(err, "cancelHoldInvoice", mapError);
  }
}
