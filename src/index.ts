/**
 * The package entry: the module API and the types an embedder needs. Everything else is
 * internal; import it at your own risk.
 */
export {
  createGateway,
  configFromSettings,
  type Gateway,
  type GatewayEvents,
  type GatewayOptions,
  type GatewayPorts,
  type InjectedArk,
  type RawSettings,
  type WalletSummary,
} from "./gateway/create-gateway.js";
export { loadConfig, type LoadConfigOptions } from "./config/load-config.js";
export { redactConfig } from "./config/redact.js";
export type { GatewayConfig, Network } from "./config/schema.js";
export { GatewayError, isGatewayError } from "./domain/errors.js";
export { GATEWAY_ERRORS } from "./gateway/errors.js";
export { runUntilSignal, type SignalOptions } from "./gateway/signals.js";
export type {
  CreatedReverse,
  CreatedSubmarine,
  PairQuote,
  SwapService,
  SwapStatusView,
  SwapUpdate,
} from "./swaps/ports/swap-service.js";
export type { Swap, SubmarineSwap, ReverseSwap } from "./domain/swap-records.js";
export type { LightningPort } from "./swaps/ports/lightning.js";
export type { ArkSwapPort } from "./swaps/ports/ark.js";
