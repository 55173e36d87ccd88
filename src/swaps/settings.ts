/**
 * Everything the swap engine and service need to decide: the money and timeout settings from
 * the gateway configuration plus engine knobs (with defaults), in one frozen object.
 */
import type { SwapConfig } from "../domain/swap-config.js";

export type { SwapConfig } from "../domain/swap-config.js";

export interface EngineKnobs {
  /** Period of the reconciliation over every open swap, in ms (0 disables the timer). */
  readonly reconcileIntervalMs: number;
  /** Time LND may spend finding routes for one payment, in seconds. */
  readonly paymentTimeoutSeconds: number;
  /** MPP: most parts a submarine payment may be split into. */
  readonly maxPaymentPaths: number;
  /** A submarine invoice must stay payable at least this long after creation, in seconds. */
  readonly minInvoiceExpirySeconds: number;
  /** Cancel a held reverse invoice once the tip reaches htlcExpiry − this, in blocks. */
  readonly holdInvoiceCancelMarginBlocks: bigint;
  /** Fund a reverse VHTLC only if the wallet keeps at least this many blocks to claim it. */
  readonly minClaimWindowBlocks: bigint;
  /** Give up probing a route at creation after this many ms. */
  readonly probeTimeoutMs: number;
  /** Delay before re-subscribing to a dropped invoice stream, in ms. */
  readonly resubscribeDelayMs: number;
}

export const DEFAULT_ENGINE_KNOBS: EngineKnobs = Object.freeze({
  reconcileIntervalMs: 30_000,
  paymentTimeoutSeconds: 60,
  maxPaymentPaths: 4,
  minInvoiceExpirySeconds: 120,
  holdInvoiceCancelMarginBlocks: 6n,
  minClaimWindowBlocks: 6n,
  probeTimeoutMs: 30_000,
  resubscribeDelayMs: 1_000,
});

export interface SwapSettings extends SwapConfig {
  readonly engine: EngineKnobs;
}

/** The swap settings of a loaded configuration (any SwapConfig), engine knobs defaulted unless overridden. */
export function swapSettingsFromConfig(config: SwapConfig, knobs: Partial<EngineKnobs> = {}): SwapSettings {
  return Object.freeze({
    network: config.network,
    fees: config.fees,
    limits: config.limits,
    routingFeeBudget: config.routingFeeBudget,
    funding: config.funding,
    timeouts: config.timeouts,
    reverseInvoiceExpirySeconds: config.reverseInvoiceExpirySeconds,
    engine: Object.freeze({ ...DEFAULT_ENGINE_KNOBS, ...knobs }),
  });
}
