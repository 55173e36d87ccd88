/**
 * What `liquidity board|offboard` work with: the config's LND, arkd, database (migrated) and seed,
 * and the gateway's Ark wallet started on them (recovery, rescan), closed again by `close()`.
 */
import { ArkWallet, createPgBatchStore, createPgWalletStore, loadSeed } from "../../ark/wallet/index.js";
import type { GatewayConfig } from "../../config/schema.js";
import { connectArkd, connectLightning, openDatabase, type OpenedDatabase } from "../../gateway/connect.js";
import { startupFailure } from "../../gateway/errors.js";
import { createGatewayLogger } from "../../gateway/logger.js";
import { createLndOnchainWallet, type LndContext } from "../../lightning/lnd/index.js";
import { createPgBoardingStore } from "../../db/boarding-store.js";
import type { BoardingStore, OnchainWalletPort } from "../../liquidity/ports.js";

export interface LiquiditySession {
  readonly wallet: ArkWallet;
  readonly onchain: OnchainWalletPort;
  readonly lnd: LndContext;
  readonly boardings: BoardingStore;
  close(): Promise<void>;
}

/**
 * @throws GatewayError `gateway.startup_failed` (stage database, lnd, arkd or wallet)
 */
export async function openLiquiditySession(config: GatewayConfig): Promise<LiquiditySession> {
  // stderr carries the progress lines: the JSON log only on request (debug, trace) or for errors
  const logger = createGatewayLogger(
    config.logLevel === "debug" || config.logLevel === "trace" ? config.logLevel : "error",
  );
  const targets = { lnd: config.lnd.socket, arkd: config.arkd.url };
  const closers: (() => unknown)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const db: OpenedDatabase = await openDatabase(config, logger.child({ subsystem: "db" })).catch(
      (err: unknown) => {
        throw startupFailure("database", err, targets);
      },
    );
    closers.push(() => db.close());
    const lnd = await connectLightning(config).catch((err: unknown) => {
      throw startupFailure("lnd", err, targets);
    });
    closers.push(() => lnd.close());
    const arkd = await connectArkd(config).catch((err: unknown) => {
      throw startupFailure("arkd", err, targets);
    });
    closers.push(() => arkd.close());
    const wallet = await (async () => {
      const seed = await loadSeed(
        config.seed.kind === "env" ? { hex: config.seed.value } : { file: config.seed.path, create: false },
      );
      const w = new ArkWallet({
        ark: arkd.client,
        store: createPgWalletStore(db.database.db),
        batchStore: createPgBatchStore(db.database.db),
        seed,
        log: logger.child({ subsystem: "ark-wallet" }),
        options: { maintenanceIntervalMs: 0 },
      });
      await w.start();
      return w;
    })().catch((err: unknown) => {
      throw startupFailure("wallet", err);
    });
    closers.push(() => wallet.stop());
    return {
      wallet,
      onchain: createLndOnchainWallet(lnd.context),
      lnd: lnd.context,
      boardings: createPgBoardingStore(db.database.db),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
