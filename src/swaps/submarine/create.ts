/**
 * Creating a submarine swap: every check first (invoice, limits, duplicates, LND's own payment
 * record, the CLTV budget, a route within it, the VHTLC against arkd's GetInfo), and only then
 * one insert (invariant 8: nothing half-written).
 */
import { isGatewayError } from "../../domain/errors.js";
import { quoteSubmarine, routingFeeBudgetSats } from "../../domain/fees.js";
import type { NewSubmarineSwap } from "../../domain/swap-records.js";
import { planSubmarineTimeouts, type SubmarineTimeouts } from "../../domain/timeout-plans.js";
import type { DecodedInvoice } from "../ports/lightning.js";
import { chainTip } from "../context.js";
import type { CreateDeps } from "../create-deps.js";
import { swapError } from "../errors.js";
import { checkLimits, checkPublicKey } from "../input.js";
import type { CreatedSubmarine } from "../ports/swap-service.js";
import { lightningNetworkOf } from "../../domain/lightning-network.js";
import { preimageHash160 } from "../../ark/scripts/index.js";
import { buildCheckedVhtlc } from "../vhtlc.js";

async function decode(deps: CreateDeps, bolt11: string): Promise<DecodedInvoice> {
  if (typeof bolt11 !== "string" || bolt11.trim() === "")
    throw swapError("swap.invalid_invoice", "invoice is required");
  try {
    return await deps.ln.decodeInvoice(bolt11.trim());
  } catch (cause) {
    if (isGatewayError(cause) && cause.httpStatus >= 500) throw cause;
    throw swapError("swap.invalid_invoice", "the invoice cannot be decoded", undefined, cause);
  }
}

/** @throws GatewayError `swap.invoice_wrong_network`, `swap.invoice_amountless`, `swap.invoice_expired` */
function checkInvoice(deps: CreateDeps, invoice: DecodedInvoice): void {
  const network = lightningNetworkOf(deps.settings.network);
  if (invoice.network !== network) {
    throw swapError("swap.invoice_wrong_network", `the invoice is for ${invoice.network}, not ${network}`);
  }
  if (invoice.amountMsat <= 0n) throw swapError("swap.invoice_amountless", "the invoice has no amount");
  const leftMs = invoice.expiresAt.getTime() - deps.clock.now().getTime();
  if (invoice.isExpired || leftMs < deps.settings.engine.minInvoiceExpirySeconds * 1000) {
    throw swapError("swap.invoice_expired", "the invoice is expired or expires too soon", {
      minExpirySeconds: deps.settings.engine.minInvoiceExpirySeconds,
    });
  }
}

/** @throws GatewayError `swap.already_exists`, `swap.invoice_already_paid` */
async function checkNotPaid(deps: CreateDeps, paymentHash: string): Promise<void> {
  if ((await deps.store.findByPaymentHash(paymentHash)) !== undefined) {
    throw swapError("swap.already_exists", "a swap with this payment hash exists already");
  }
  const payment = await deps.ln.getPayment(paymentHash);
  if (payment.status === "in_flight" || payment.status === "succeeded") {
    throw swapError("swap.invoice_already_paid", "this invoice is already paid or being paid");
  }
}

async function planTimeouts(deps: CreateDeps, invoice: DecodedInvoice, unilateralExitDelay: bigint) {
  const tip = await chainTip(deps);
  try {
    return planSubmarineTimeouts(deps.settings.timeouts, tip, unilateralExitDelay, BigInt(invoice.cltvDelta));
  } catch (cause) {
    if (isGatewayError(cause) && cause.httpStatus < 500) {
      throw swapError(
        "swap.invoice_cltv_too_large",
        "the invoice's CLTV does not fit the swap timeout",
        undefined,
        cause,
      );
    }
    throw cause;
  }
}

/** @throws GatewayError `swap.unroutable` when no route fits the fee budget and the CLTV limit */
async function checkRoutable(
  deps: CreateDeps,
  invoice: DecodedInvoice,
  feeBudget: bigint,
  plan: SubmarineTimeouts,
) {
  const probe = await deps.ln
    .probeRoute({
      destination: invoice.destination,
      amountSats: invoice.amountSats,
      finalCltvDelta: invoice.cltvDelta,
      maxFeeSats: feeBudget,
      maxTimeoutHeight: Number(plan.maxTimeoutHeight),
      routeHints: invoice.routeHints,
      timeoutMs: deps.settings.engine.probeTimeoutMs,
    })
    .catch((cause: unknown) => {
      throw swapError(
        "swap.unroutable",
        "no route to the invoice's destination could be found",
        undefined,
        cause,
      );
    });
  if (!probe.found) {
    throw swapError("swap.unroutable", "no route within the fee budget and the CLTV limit", {
      maxFeeSats: feeBudget.toString(),
      maxTimeoutHeight: plan.maxTimeoutHeight.toString(),
    });
  }
}

/**
 * Validates a submarine request and builds the swap to insert (nothing is written).
 * @throws GatewayError `swap.*` 4xx on bad input; `swap.vhtlc_invalid` / port errors otherwise
 */
export async function prepareSubmarine(
  deps: CreateDeps,
  req: { readonly invoice: string; readonly refundPublicKey: string },
): Promise<{ readonly swap: NewSubmarineSwap; readonly created: CreatedSubmarine }> {
  const senderPubkey = checkPublicKey(req.refundPublicKey, "refundPublicKey");
  const invoice = await decode(deps, req.invoice);
  checkInvoice(deps, invoice);
  const quote = quoteSubmarine(invoice.amountMsat, deps.settings.fees.submarine);
  checkLimits(quote.invoiceAmountSats, deps.settings.limits.submarine);
  await checkNotPaid(deps, invoice.paymentHash);
  const info = await deps.ark.serverInfo();
  const plan = await planTimeouts(deps, invoice, info.unilateralExitDelay);
  const feeBudget = routingFeeBudgetSats(quote.invoiceAmountSats, deps.settings.routingFeeBudget);
  await checkRoutable(deps, invoice, feeBudget, plan);
  const id = deps.newId();
  const receiverPubkey = (await deps.ark.swapKey(id)).publicKey;
  if (receiverPubkey === senderPubkey)
    throw swapError("swap.invalid_public_key", "refundPublicKey is the gateway's key");
  const vhtlc = {
    senderPubkey,
    receiverPubkey,
    serverPubkey: checkPublicKey(info.signerPubkey, "signerPubkey"),
    preimageHash160: preimageHash160(invoice.paymentHash),
    refundLocktime: plan.refundLocktime,
    unilateralClaimDelay: plan.unilateralClaimDelay,
    unilateralRefundDelay: plan.unilateralRefundDelay,
    unilateralRefundWithoutReceiverDelay: plan.unilateralRefundWithoutReceiverDelay,
  };
  const built = buildCheckedVhtlc(vhtlc, info);
  const swap: NewSubmarineSwap = {
    id,
    type: "submarine",
    paymentHash: invoice.paymentHash,
    invoice: req.invoice.trim(),
    invoiceAmountMsat: invoice.amountMsat,
    invoiceAmountSats: quote.invoiceAmountSats,
    feeSats: quote.feeSats,
    expectedAmountSats: quote.expectedAmountSats,
    routingFeeBudgetSats: feeBudget,
    maxTimeoutHeight: plan.maxTimeoutHeight,
    senderPubkey,
    receiverPubkey,
    serverPubkey: vhtlc.serverPubkey,
    lockupAddress: built.address,
    lockupScript: built.script,
    refundLocktime: plan.refundLocktime,
    unilateralClaimDelay: plan.unilateralClaimDelay,
    unilateralRefundDelay: plan.unilateralRefundDelay,
    unilateralRefundWithoutReceiverDelay: plan.unilateralRefundWithoutReceiverDelay,
    expiresAt: invoice.expiresAt,
  };
  const created: CreatedSubmarine = {
    id,
    expectedAmountSats: quote.expectedAmountSats,
    address: built.address,
    claimPublicKey: receiverPubkey,
    acceptZeroConf: true,
    timeoutBlockHeights: {
      refund: plan.refundLocktime,
      unilateralClaim: plan.unilateralClaimDelay,
      unilateralRefund: plan.unilateralRefundDelay,
      unilateralRefundWithoutReceiver: plan.unilateralRefundWithoutReceiverDelay,
    },
  };
  return { swap, created };
}
