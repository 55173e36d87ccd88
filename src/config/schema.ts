/**
 * The gateway's configuration, as the rest of the code sees it after loading: validated,
 * typed (bigint for amounts and chain values), frozen.
 */
import type { Network } from "../domain/network.js";
import type { SwapConfig } from "../domain/swap-config.js";
import type { LocktimeMode, TimeoutSettings } from "../domain/timeout-settings.js";

export { NETWORKS, type Network } from "../domain/network.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A credential given as a file path or as its base64 contents. */
export type CredentialSource =
  { readonly kind: "path"; readonly path: string } | { readonly kind: "base64"; readonly base64: string };

/** An external Postgres, or one the gateway runs itself inside its data dir. */
export type DatabaseConfig =
  | { readonly kind: "external"; readonly url: string }
  | { readonly kind: "embedded"; readonly dataDir: string };

/** The wallet seed: a file (created on first start if missing) or the value itself (env). */
export type SeedSource =
  { readonly kind: "file"; readonly path: string } | { readonly kind: "env"; readonly value: string };

/** The swap-deciding fields (network, fees, limits, routing budget, funding, timeouts, reverse invoice expiry) come from SwapConfig. */
export interface GatewayConfig extends SwapConfig {
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  readonly listen: { readonly host: string; readonly port: number };
  readonly arkd: { readonly url: string };
  readonly lnd: {
    readonly socket: string;
    readonly cert: CredentialSource;
    readonly macaroon: CredentialSource;
  };
  readonly database: DatabaseConfig;
  readonly seed: SeedSource;
  /**
   * When the gateway renews its VTXOs (see docs/renewal.md). The loader always sets it;
   * a configuration built in code without it gets renewalDefaults(network).
   */
  readonly renewal?: RenewalConfig;
}

/** The VTXO renewal scheduler's settings (defaults per network: src/config/renewal-defaults.ts). */
export interface RenewalConfig {
  readonly enabled: boolean;
  /** Renew this many seconds before arkd's expires_at (after it arkd refuses offchain spends). */
  readonly offchainMarginSeconds: bigint;
  /** Renew this many blocks before a block-typed sweep deadline. */
  readonly sweepMarginBlocks: bigint;
  /** Renew this many seconds before a seconds-typed sweep deadline. */
  readonly sweepMarginSeconds: bigint;
  /** How often the scheduler looks at the wallet (seconds). */
  readonly intervalSeconds: bigint;
}

/** Locktime mode by network: arkd accepts block-typed timelocks on regtest only. */
export function defaultLocktimeMode(network: Network): LocktimeMode {
  return network === "regtest" ? "blocks" : "seconds";
}

type TimeoutDefaults = Omit<TimeoutSettings, "mode">;

/**
 * Default timeouts per mode (blocks: regtest; seconds: everywhere else). Blocks mode fits our
 * regtest network: arkd's VTXO tree expiry is 144 blocks and LND runs with
 * `--bitcoin.timelockdelta=18`, so a submarine VHTLC refunds after 72 blocks (LN CLTV limit =
 * 72 − 20 = 52 blocks: a final CLTV of 18 plus one 18-block hop fits), a reverse VHTLC after 36
 * (hold-invoice CLTV delta = 36 + 10 + 1 = 47 ≥ LND's 18), both far below 144 − 5.
 *
 * Seconds mode turns time into blocks asymmetrically (see src/domain/block-time.ts): slow blocks
 * (1200 s) for the submarine LN budget, fast blocks (300 s) for the reverse hold invoice. A
 * submarine VHTLC refunds after 48 h so the LN CLTV limit stays 172800 / 1200 − 20 = 124 blocks;
 * a reverse one after 12 h (hold-invoice CLTV delta = 144 + 10 + 1 = 155 blocks). Failure bounds
 * with Poisson(600 s) blocks: submarine P(< 144 blocks in 48 h) ≈ 2.1e-21; reverse P(≥ 148 blocks
 * in 12 h) ≈ 3.1e-15 (the old symmetric 600 s conversion failed ~29 % and ~4 % of the time).
 */
export const TIMEOUT_DEFAULTS: { readonly [M in LocktimeMode]: TimeoutDefaults } = {
  blocks: {
    submarineRefundDelta: 72n,
    reverseRefundDelta: 36n,
    unilateralClaimDelay: 20n,
    unilateralRefundDelay: 30n,
    unilateralRefundWithoutReceiverDelay: 40n,
    lnCltvMarginBlocks: 20n,
    holdInvoiceCltvMarginBlocks: 10n,
    maxHoldInvoiceCltvDeltaBlocks: 2016n,
    batchExpiryMargin: 5n,
    secondsPerBlock: 600n,
    fastBlockSeconds: 300n,
    slowBlockSeconds: 1_200n,
  },
  seconds: {
    submarineRefundDelta: 172_800n,
    reverseRefundDelta: 43_200n,
    unilateralClaimDelay: 86_528n,
    unilateralRefundDelay: 129_024n,
    unilateralRefundWithoutReceiverDelay: 172_032n,
    lnCltvMarginBlocks: 20n,
    holdInvoiceCltvMarginBlocks: 10n,
    maxHoldInvoiceCltvDeltaBlocks: 2016n,
    batchExpiryMargin: 3_600n,
    secondsPerBlock: 600n,
    fastBlockSeconds: 300n,
    slowBlockSeconds: 1_200n,
  },
};

/**
 * Per-network adjustments of the seconds-mode defaults. Mutinynet mines a block every ~30 s, so
 * the block-time assumptions scale down (mean 30 s, fast 15 s, slow 60 s: the same 2× bounds as
 * mainnet's), and the reverse refund comes after 3 h instead of 12 h so that the hold-invoice
 * CLTV delta (10,800 / 15 + 10 + 1 = 731 blocks) stays under LND's 2016-block maximum. Without
 * this a mutinynet gateway would plan with 600-second blocks, and a hold invoice's HTLC deadline
 * would arrive long before the VHTLC refund time (the reverse failure invariant 3 forbids).
 */
const NETWORK_TIMEOUT_OVERRIDES: Partial<Record<Network, Partial<TimeoutDefaults>>> = {
  mutinynet: {
    secondsPerBlock: 30n,
    fastBlockSeconds: 15n,
    slowBlockSeconds: 60n,
    reverseRefundDelta: 10_800n,
  },
};

/** The timeout defaults for a locktime mode on a network (network overrides apply in seconds mode). */
export function timeoutDefaults(mode: LocktimeMode, network: Network): TimeoutDefaults {
  const base = TIMEOUT_DEFAULTS[mode];
  const override = mode === "seconds" ? NETWORK_TIMEOUT_OVERRIDES[network] : undefined;
  return override === undefined ? base : { ...base, ...override };
}
