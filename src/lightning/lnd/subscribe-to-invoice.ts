/**
 * SubscribeSingleInvoice (invoicesrpc): the invoice's state changes as a typed stream. LND sends
 * the current state first, so subscribing late still reports a held or final invoice; for an
 * unknown hash it sends nothing (LND 0.20.1). LND ends the stream itself after a final state.
 */
import type { GatewayError } from "../../domain/errors.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import { PushStream, type EventStream } from "../../lib/event-stream.js";
import type { Invoice, InvoiceEvent, InvoiceHtlc, InvoiceState } from "../../swaps/ports/lightning.js";
import { invoiceFromLnd, type LndInvoice } from "./invoice-from-ln.js";
import type { LndContext } from "./context.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import type { LndStream } from "./rpc/lnd-rpc.js";
import { expectHash32 } from "./validate.js";

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  if ((info.details ?? "").includes("unable to locate invoice")) return "ln.invoice_not_found";
  return undefined;
}

const sumMsat = (htlcs: readonly InvoiceHtlc[]) => htlcs.reduce((sum, h) => sum + h.amountMsat, 0n);

/**
 * The port event for an invoice's state, or undefined for `open`. Amounts come from the HTLCs
 * in that state (LND's `amt_paid` may lag for accepted HTLCs), else from `amt_paid`.
 * @throws GatewayError `ln.unexpected_response` for a held invoice without held HTLCs
 */
export function invoiceEventOf(invoice: Invoice): InvoiceEvent | undefined {
  switch (invoice.state) {
    case "held": {
      const held = invoice.htlcs.filter((h) => h.state === "held");
      if (held.length === 0) {
        throw lnError("ln.unexpected_response", "held invoice without held HTLCs", {
          paymentHash: invoice.paymentHash,
        });
      }
      const cltvExpiry = Math.min(...held.map((h) => h.cltvExpiry));
      return {
        type: "held",
        paymentHash: invoice.paymentHash,
        receivedMsat: sumMsat(held),
        cltvExpiry,
        htlcs: held,
      };
    }
    case "settled": {
      const settled = sumMsat(invoice.htlcs.filter((h) => h.state === "settled"));
      const receivedMsat = settled > 0n ? settled : invoice.receivedMsat;
      return { type: "settled", paymentHash: invoice.paymentHash, receivedMsat };
    }
    case "canceled":
      return { type: "canceled", paymentHash: invoice.paymentHash };
    case "open":
      return undefined;
  }
}

/**
 * Streams `held`, `settled`, `canceled` for one invoice; iteration ends after `settled` or
 * `canceled`. Repeated updates in the same state are reported once.
 * @param paymentHash hex
 * @returns the stream; iterating throws `ln.unavailable` or `ln.subscription_closed` when the
 *   connection drops (resubscribe and reconcile with getInvoice), `ln.invoice_not_found`,
 *   `ln.missing_subserver`, `ln.permission_denied`, `ln.unexpected_response`, `ln.unexpected`
 * @throws GatewayError `ln.invalid_argument` synchronously (and `ln.unavailable` once the client
 *   is closed)
 */
export function subscribeToInvoice(ctx: LndContext, paymentHash: string): EventStream<InvoiceEvent> {
  const id = expectHash32(paymentHash, "paymentHash");
  let call: LndStream<LndInvoice>;
  try {
    call = ctx.rpc.stream<LndInvoice>("invoices", "SubscribeSingleInvoice", {
      r_hash: Buffer.from(id, "hex"),
    });
  } catch (err) {
    throw toLightningError(err, "subscribeToInvoice", mapError);
  }

  const stream = new PushStream<InvoiceEvent>(() => {
    // grpc-js reports its own cancel as a CANCELLED error: keep one listener so it is not thrown.
    call.removeAllListeners();
    call.on("error", () => undefined);
    call.cancel();
  });
  let lastState: InvoiceState = "open";
  const fail = (err: GatewayError) => stream.fail(err);

  call.on("data", (message) => {
    let event: InvoiceEvent | undefined;
    try {
      const invoice = invoiceFromLnd(message);
      if (invoice.paymentHash !== id || invoice.state === lastState) return;
      lastState = invoice.state;
      event = invoiceEventOf(invoice);
    } catch (err) {
      return fail(toLightningError(err, "subscribeToInvoice", mapError));
    }
    if (event === undefined) return;
    stream.push(event);
    if (event.type === "settled" || event.type === "canceled") stream.end();
  });
  call.on("error", (err) => fail(toLightningError(err, "subscribeToInvoice", mapError)));
  call.on("end", () =>
    fail(
      lnError("ln.subscription_closed", "subscribeToInvoice: LND closed the invoice stream", {
        paymentHash: id,
      }),
    ),
  );
  return stream;
}
