/**
 * The composition of the VTXO renewal scheduler (src/ark/renewal): its settings from the
 * configuration (renewal section, defaults per network), the chain tip from LND for block-typed
 * sweep deadlines, its own logger (`subsystem: "renewal"`). Started after the wallet, stopped
 * before it.
 */
import type { Logger } from "../lib/logger.js";
import { RenewalScheduler } from "../ark/renewal/index.js";
import type { ArkWallet } from "../ark/wallet/index.js";
import { DEFAULT_WALLET_OPTIONS } from "../ark/wallet/index.js";
import { renewalDefaults } from "../config/renewal-defaults.js";
import type { GatewayConfig } from "../config/schema.js";
import type { LightningPort } from "../swaps/ports/lightning.js";

/** How long a stopping gateway waits for a renewal batch in progress (then recovery takes over). */
const STOP_GRACE_MS = 15_000;

/** @returns the started scheduler, or undefined when renewal is disabled */
export function startRenewal(p: {
  readonly config: GatewayConfig;
  readonly wallet: ArkWallet;
  readonly lightning: Pick<LightningPort, "getHeight">;
  readonly logger: Logger;
}): RenewalScheduler | undefined {
  const settings = p.config.renewal ?? renewalDefaults(p.config.network);
  const log = p.logger.child({ subsystem: "renewal" });
  if (!settings.enabled) {
    log.warn({}, "VTXO renewal is disabled: the gateway's VTXOs expire unless renewed by hand");
    return undefined;
  }
  const scheduler = new RenewalScheduler({
    wallet: p.wallet,
    tipHeight: async () => BigInt(await p.lightning.getHeight()),
    log,
    options: {
      margins: {
        offchainSeconds: settings.offchainMarginSeconds,
        sweepBlocks: settings.sweepMarginBlocks,
        sweepSeconds: settings.sweepMarginSeconds,
      },
      intervalMs: Number(settings.intervalSeconds) * 1000,
      maxInputs: DEFAULT_WALLET_OPTIONS.maxInputs,
      stopGraceMs: STOP_GRACE_MS,
    },
  });
  scheduler.start();
  return scheduler;
}
