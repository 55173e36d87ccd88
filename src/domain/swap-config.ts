/**
 * The slice of the gateway configuration that decides swaps: money, limits and timeouts. The
 * loaded configuration (src/config/schema.ts GatewayConfig) extends it; the swap core reads only
 * this, so it does not depend on how configuration is loaded.
 */
import type { FeeSchedule, RoutingFeeBudget } from "./fees.js";
import type { FundingPolicy, SwapLimits } from "./limits.js";
import type { Network } from "./network.js";
import type { TimeoutSettings } from "./timeout-settings.js";

export interface SwapConfig {
  readonly network: Network;
  readonly fees: { readonly submarine: FeeSchedule; readonly reverse: FeeSchedule };
  readonly limits: { readonly submarine: SwapLimits; readonly reverse: SwapLimits };
  readonly routingFeeBudget: RoutingFeeBudget;
  readonly funding: FundingPolicy;
  readonly timeouts: TimeoutSettings;
  /** Lifetime of a reverse swap's hold invoice, in seconds (≤ 1 h). */
  readonly reverseInvoiceExpirySeconds: bigint;
}
