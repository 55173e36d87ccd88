/**
 * SettleInvoice (invoicesrpc): releases the preimage to the payer and claims the held HTLCs. LND
 * finds the invoice by sha256(preimage).
 */
import type { LightningErrorCode } from "../errors.js";
import type { LndContext } from "./context.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectHash32 } from "./validate.js";

/** LND's texts (invoices/errors.go); its gRPC code is UNKNOWN for all of them. */
function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details.includes("invoice already canceled")) return "ln.invoice_already_canceled";
  if (details.includes("invoice already settled")) return "ln.invoice_already_settled";
  if (details.includes("unable to locate invoice")) return "ln.invoice_not_found";
  // an open invoice: no HTLC held yet
  if (details.includes("invoice still open")) return "ln.invoice_not_held";
  return undefined;
}

/**
 * Settles the held invoice whose payment hash is sha256(preimage). Idempotent: LND 0.20 answers
 * success for a repeat (older versions "invoice already settled", which we report as success too),
 * so a resumed swap can settle again safely.
 * @param preimage 32 bytes, hex
 * @throws GatewayError `ln.invalid_argument`, `ln.invoice_not_found`, `ln.invoice_not_held`,
 *   `ln.invoice_already_canceled`, `ln.missing_subserver`, `ln.unavailable`,
 *   `ln.permission_denied`, `ln.unexpected`
 */
export async function settleHoldInvoice(ctx: LndContext, preimage: string): Promise<void> {
  const secret = expectHash32(preimage, "preimage");
  try {
    await ctx.rpc.unary("invoices", "SettleInvoice", { preimage: Buffer.from(secret, "hex") });
  } catch (err) {
    const mapped = toLightningError(err, "settleHoldInvoice", mapError);
    if (mapped.code === "ln.invoice_already_settled") return;
    throw mapped;
  }
}
