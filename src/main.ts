/**
 * The composition root: the only place that wires adapters to services. Order (each stage
 * refuses to go on with a one-line `gateway.startup_failed`): database (embedded or external,
 * migrated) → LND (connect, version/subservers, network) → arkd (GetInfo, network) → the Ark
 * wallet (seed, store, recovery, rescan) → the swap engine (resumes every open swap) → the HTTP
 * API. Whatever a later stage fails on, what earlier stages opened is closed again.
 */
import type { Logger } from "pino";
import type { ArkServerPort } from "./ark/client/index.js";
import { ArkWallet, createPgWalletStore, loadSeed } from "./ark/wallet/index.js";
import type { GatewayConfig } from "./config/schema.js";
import { createHttpServer, type HttpLimits } from "./api/http/index.js";
import type { LightningPort } from "./lightning/port.js";
import type { ArkSwapPort } from "./swaps/ark-port.js";
import { SwapEngine } from "./swaps/engine.js";
import type { SwapService } from "./swaps/service.js";
import { swapSettingsFromConfig, type EngineKnobs } from "./swaps/settings.js";
import { createSwapStore } from "./swaps/store.js";
import { GatewaySwapService } from "./swaps/swap-service.js";
import { connectArkd, connectLightning, openDatabase, redactUrl, type Closer } from "./gateway/connect.js";
import { startupFailure, type StageTargets, type StartupStage } from "./gateway/errors.js";

/** An Ark side given by an embedder: the port, optionally with a lifecycle the gateway drives. */
export type InjectedArk = ArkSwapPort & { start?(): Promise<void>; stop?(): Promise<void> };

/** Ports an embedder or a test injects instead of the real adapters (each skips its stage's checks). */
export interface GatewayPorts {
  readonly lightning?: LightningPort;
  /** The whole Ark side (no arkd client, no wallet). */
  readonly ark?: InjectedArk;
  /** An arkd client (e.g. a fake arkd): the gateway still checks it and builds its wallet on it. */
  readonly arkServer?: ArkServerPort;
}

export interface CompositionOptions {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly ports?: GatewayPorts;
  /** Overrides the configured database URL. */
  readonly databaseUrl?: string;
  /** Postgres schema to work in (default: the server's default search_path). */
  readonly databaseSchema?: string;
  /** false: no HTTP API; default: config.listen. */
  readonly listen?: false | { readonly host: string; readonly port: number };
  readonly engine?: Partial<EngineKnobs>;
  readonly httpLimits?: Partial<HttpLimits>;
  readonly version: string;
}

export interface Composition {
  readonly service: SwapService;
  readonly engine: SwapEngine;
  readonly ark: ArkSwapPort;
  /** The gateway's own Ark wallet (absent when the Ark side was injected). */
  readonly wallet: ArkWallet | undefined;
  readonly lightning: LightningPort;
  readonly http: { readonly url: string; readonly wsUrl: string } | undefined;
  /** Graceful: HTTP, engine, wallet, clients, pool, embedded Postgres. Idempotent. */
  close(): Promise<void>;
}

/** Runs one stage, wrapping its failure as `gateway.startup_failed`. */
async function stage<T>(name: StartupStage, targets: StageTargets, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw startupFailure(name, err, targets);
  }
}

/** Closes in reverse order, logging (never throwing) what fails. */
async function closeAll(closers: Closer[], log: Logger): Promise<void> {
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, "closing a resource failed");
    }
  }
}

/**
 * Builds and starts everything in order.
 * @throws GatewayError `gateway.startup_failed` (details.stage) with a one-line message
 */
export async function composeGateway(opts: CompositionOptions): Promise<Composition> {
  const { config, logger, ports = {} } = opts;
  const log = logger.child({ subsystem: "gateway" });
  const database =
    opts.databaseUrl === undefined ? config.database : { kind: "external" as const, url: opts.databaseUrl };
  const targets: StageTargets = {
    database: database.kind === "external" ? redactUrl(database.url) : `embedded (${database.dataDir})`,
    lnd: config.lnd.socket,
    arkd: config.arkd.url,
    http:
      opts.listen === false
        ? undefined
        : `${(opts.listen ?? config.listen).host}:${(opts.listen ?? config.listen).port}`,
  };
  const closers: Closer[] = [];
  try {
    const db = await stage("database", targets, () =>
      openDatabase({ database }, logger.child({ subsystem: "db" }), opts.databaseSchema),
    );
    closers.push(() => db.close());

    let lightning = ports.lightning;
    if (lightning === undefined) {
      const lnd = await stage("lnd", targets, () => connectLightning(config));
      closers.push(() => lnd.close());
      log.info(
        { alias: lnd.info.alias, version: lnd.info.version, height: lnd.info.blockHeight },
        "LND ready",
      );
      lightning = lnd.lightning;
    }

    let ark: ArkSwapPort;
    let wallet: ArkWallet | undefined;
    if (ports.ark !== undefined) {
      const injected = ports.ark;
      if (injected.start !== undefined)
        await stage("wallet", targets, () => injected.start?.() ?? Promise.resolve());
      closers.push(() => injected.stop?.());
      ark = injected;
    } else {
      const arkd = await stage("arkd", targets, () => connectArkd(config, ports.arkServer));
      if (ports.arkServer === undefined) closers.push(() => arkd.close());
      log.info({ network: arkd.info.network, version: arkd.info.version }, "arkd ready");
      const ln = lightning;
      wallet = await stage("wallet", targets, async () => {
        const seed = await loadSeed(
          config.seed.kind === "env" ? { hex: config.seed.value } : { file: config.seed.path },
        );
        const w = new ArkWallet({
          ark: arkd.client,
          store: createPgWalletStore(db.database.db),
          seed,
          log: logger.child({ subsystem: "ark-wallet" }),
          currentLocktime: async (kind) =>
            // MTP trails the wall clock by about an hour: waiting for now − 2 h never refunds early.
            kind === "blocks" ? BigInt(await ln.getHeight()) : BigInt(Math.floor(Date.now() / 1000) - 7_200),
        });
        await w.start();
        return w;
      });
      closers.push(() => wallet?.stop());
      ark = wallet;
    }

    const settings = swapSettingsFromConfig(config, opts.engine);
    const store = createSwapStore(db.database.db);
    const engine = new SwapEngine({ ln: lightning, ark, store, settings, logger });
    const service = new GatewaySwapService({ engine, store, ln: lightning, ark, settings });
    await stage("engine", targets, () => engine.start());
    closers.push(() => engine.stop());

    let http: Composition["http"];
    if (opts.listen !== false) {
      const listen = opts.listen ?? config.listen;
      const server = createHttpServer({
        service,
        logger,
        version: opts.version,
        ...(opts.httpLimits ? { limits: opts.httpLimits } : {}),
      });
      const bound = await stage("http", targets, () => server.listen(listen.host, listen.port));
      closers.push(() => server.close());
      const host = bound.host.includes(":") ? `[${bound.host}]` : bound.host;
      http = { url: `http://${host}:${bound.port}`, wsUrl: `ws://${host}:${bound.port}/v2/ws` };
      log.info({ url: http.url }, "HTTP API listening");
    }

    let closed: Promise<void> | undefined;
    return {
      service,
      engine,
      ark,
      wallet,
      lightning,
      http,
      close: () => (closed ??= closeAll(closers, log)),
    };
  } catch (err) {
    await closeAll(closers, log);
    throw err;
  }
}
