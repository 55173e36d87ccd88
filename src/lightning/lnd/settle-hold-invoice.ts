/**
 * SettleInvoice (invoicesrpc) through ln-service `settleHodlInvoice`: releases the preimage to
 * the payer and claims the held HTLCs. LND finds the invoice by sha256(preimage).
 */
import type { LightningErrorCode } from "../errors.js";
import type { LndContext } from "./ln-service.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectHash32 } from "./validate.js";

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  // ln-service's names for LND's "invoice still open" and "unable to locate invoice"
  if (info.name === "CannotSettleHtlcBeforeHtlcReceived") return "ln.invoice_not_held";
  if (info.name === "SecretDoesNotMatchAnyExistingHodlInvoice") return "ln.invoice_not_found";
  if (details.includes("invoice already canceled")) return "ln.invoice_already_canceled";
  if (details.includes("invoice already settled")) return "ln.invoice_already_settled";
  if (details.includes("unable to locate invoice")) return "ln.invoice_not_found";
  if (details.includes("invoice still open")) return "ln.invoice_not_held";
  if (info.name === "ExpectedInvoicesLndToSettleHodlInvoice") return "ln.missing_subserver";
  return undefined;
}

/**
 * Settles the held invoice whose payment hash is sha256(preimage). Idempotent: LND answers
 * "invoice already settled" for a repeat, which we report as success so a resumed swap can
 * settle again safely.
 * @param preimage 32 bytes, hex
 * @throws GatewayError `ln.invalid_argument`, `ln.invoice_not_found`, `ln.invoice_not_held`,
 *   `ln.invoice_already_canceled`, `ln.missing_subserver`, `ln.unavailable`,
 *   `ln.permission_denied`, `ln.unexpected`
 */
export async function settleHoldInvoice(ctx: LndContext, preimage: string): Promise<void> {
  const secret = expectHash32(preimage, "preimage");
  try {
    await ctx.ln.settleHodlInvoice({ lnd: ctx.lnd, secret });
  } catch (err) {
    const mapped = toLightningError(err, "settleHoldInvoice", mapError);
    if (mapped.code === "ln.invoice_already_settled") return;
    throw mapped;
  }
}
