/**
 * The LND adapter: implements the Lightning port with one adapter function per LND method.
 * Only the composition root constructs it.
 */
import type { LightningPort } from "../port.js";
import { cancelHoldInvoice } from "./cancel-hold-invoice.js";
import { createHoldInvoice } from "./create-hold-invoice.js";
import { decodeInvoice } from "./decode-invoice.js";
import { getHeight } from "./get-height.js";
import { getInfo } from "./get-info.js";
import { getInvoice } from "./get-invoice.js";
import { getPayment } from "./get-payment.js";
import type { LndContext } from "./ln-service.js";
import { payInvoice } from "./pay-invoice.js";
import { probeRoute } from "./probe-route.js";
import { settleHoldInvoice } from "./settle-hold-invoice.js";
import { subscribeToInvoice } from "./subscribe-to-invoice.js";

/**
 * @param ctx from `connectLnd` (or a fake ln-service in tests)
 * @returns the port, every method throwing GatewayError codes from LIGHTNING_ERRORS
 */
export function createLndLightning(ctx: LndContext): LightningPort {
  return {
    getInfo: () => getInfo(ctx),
    getHeight: () => getHeight(ctx),
    createHoldInvoice: (args) => createHoldInvoice(ctx, args),
    subscribeToInvoice: (paymentHash) => subscribeToInvoice(ctx, paymentHash),
    settleHoldInvoice: (preimage) => settleHoldInvoice(ctx, preimage),
    cancelHoldInvoice: (paymentHash) => cancelHoldInvoice(ctx, paymentHash),
    getInvoice: (paymentHash) => getInvoice(ctx, paymentHash),
    decodeInvoice: (bolt11) => decodeInvoice(ctx, bolt11),
    payInvoice: (args) => payInvoice(ctx, args),
    getPayment: (paymentHash) => getPayment(ctx, paymentHash),
    probeRoute: (args) => probeRoute(ctx, args),
  };
}
