/**
 * The composition root: the only place that wires adapters to services. Order (each stage
 * refuses to go on with a one-line `gateway.startup_failed`): database (embedded or external,
 * migrated) → LND (connect, version/subservers, network) → arkd (GetInfo, network) → the Ark
 * wallet (seed, store, recovery, rescan) → the swap engine (resumes every open swap) → the HTTP
 * API. Whatever a later stage fails on, what earlier stages opened is closed again.
 */
import type { Logger } from "../lib/logger.js";
import type { ArkServerPort } from "../ark/client/index.js";
import { BatchDeadlines, withBatchDeadlines } from "../ark/expiry/index.js";
import type { ChainBlocksPort } from "../chain/port.js";
import { createLndChain, createLndChainSpends } from "../lightning/lnd/index.js";
import type { ChainSpendPort } from "../swaps/ports/chain-spends.js";
import { ArkWallet, createPgBatchStore, createPgWalletStore, loadSeed } from "../ark/wallet/index.js";
import type { GatewayConfig } from "../config/schema.js";
import { createHttpServer, type HttpLimits } from "../api/http/index.js";
import type { LightningPort } from "../swaps/ports/lightning.js";
import type { ArkSwapPort } from "../swaps/ports/ark.js";
import { SwapEngine } from "../swaps/engine.js";
import type { SwapService } from "../swaps/ports/swap-service.js";
import { swapSettingsFromConfig, type EngineKnobs } from "../swaps/settings.js";
import { createSwapStore } from "../db/swap-store.js";
import { GatewaySwapService } from "../swaps/gateway-swap-service.js";
import {
  connectArkd,
  connectLightning,
  openDatabase,
  redactUrl,
  type Closer,
  type OpenedDatabase,
} from "./connect.js";
import { batchCrashHook, crashPointHook } from "./crash-point.js";
import { startRenewal } from "./renewal.js";
import { startupFailure, type StageTargets, type StartupStage } from "./errors.js";
import { errFields } from "../lib/error-fields.js";

/** An Ark side given by an embedder: the port, optionally with a lifecycle the gateway drives. */
export type InjectedArk = ArkSwapPort & { start?(): Promise<void>; stop?(): Promise<void> };

/** Ports an embedder or a test injects instead of the real adapters (each skips its stage's checks). */
export interface GatewayPorts {
  readonly lightning?: LightningPort;
  /** The whole Ark side (no arkd client, no wallet). */
  readonly ark?: InjectedArk;
  /** An arkd client (e.g. a fake arkd): the gateway still checks it and builds its wallet on it. */
  readonly arkServer?: ArkServerPort;
  /** The chain reader (default: over the connected LND; none with an injected Lightning port). */
  readonly chain?: ChainBlocksPort;
  /** The chain spend watcher (default: LND's chain notifier; none with an injected Lightning port). */
  readonly chainSpends?: ChainSpendPort;
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
  /** Test hook: crash points (see src/gateway/crash-point.ts). */
  readonly crashAfter?: string;
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
      log.warn(errFields(err), "closing a resource failed");
    }
  }
}

/** What the stages of one composition share: options, logger, failure targets, closers so far. */
interface Wiring {
  readonly opts: CompositionOptions;
  readonly ports: GatewayPorts;
  /** The gateway subsystem's logger. */
  readonly log: Logger;
  readonly targets: StageTargets;
  readonly closers: Closer[];
}

/** What each stage connects to, for `gateway.startup_failed` messages (credentials redacted). */
function stageTargets(opts: CompositionOptions, database: GatewayConfig["database"]): StageTargets {
  const { config } = opts;
  return {
    database: database.kind === "external" ? redactUrl(database.url) : `embedded (${database.dataDir})`,
    lnd: config.lnd.socket,
    arkd: config.arkd.url,
    http:
      opts.listen === false
        ? undefined
        : `${(opts.listen ?? config.listen).host}:${(opts.listen ?? config.listen).port}`,
  };
}

/** The injected Lightning port (and chain reader), or LND connected and checked. */
async function startLightning(w: Wiring): Promise<{
  lightning: LightningPort;
  chain: ChainBlocksPort | undefined;
  chainSpends: ChainSpendPort | undefined;
}> {
  if (w.ports.lightning !== undefined)
    return { lightning: w.ports.lightning, chain: w.ports.chain, chainSpends: w.ports.chainSpends };
  const lnd = await stage("lnd", w.targets, () => connectLightning(w.opts.config));
  w.closers.push(() => lnd.close());
  w.log.info({ alias: lnd.info.alias, version: lnd.info.version, height: lnd.info.blockHeight }, "LND ready");
  return {
    lightning: lnd.lightning,
    chain: w.ports.chain ?? createLndChain(lnd.context),
    chainSpends: w.ports.chainSpends ?? createLndChainSpends(lnd.context),
  };
}

/**
 * arkd's client as the wallet sees it: VTXOs carry their real batch deadline (src/ark/expiry).
 * Without a chain reader (an injected Lightning port and no chain) a block-mode gateway cannot
 * derive deadlines; it then keeps arkd's values, which only a fake arkd makes meaningful.
 */
function arkWithDeadlines(
  w: Wiring,
  client: ArkServerPort,
  chain: ChainBlocksPort | undefined,
): ArkServerPort {
  const mode = w.opts.config.timeouts.mode;
  if (mode === "blocks" && chain === undefined) {
    w.log.warn({}, "no chain reader: VTXO deadlines are arkd's expires_at as reported");
    return client;
  }
  return withBatchDeadlines(
    client,
    new BatchDeadlines({ mode, indexer: client, ...(chain ? { chain } : {}) }),
  );
}

/** The injected Ark side (started), or arkd connected and the gateway's own wallet started on it. */
async function startArkSide(
  w: Wiring,
  lightning: LightningPort,
  chain: ChainBlocksPort | undefined,
  db: OpenedDatabase,
): Promise<{ ark: ArkSwapPort; wallet: ArkWallet | undefined }> {
  const { config, logger } = w.opts;
  const { ports, targets, closers } = w;
  if (ports.ark !== undefined) {
    const injected = ports.ark;
    if (injected.start !== undefined)
      await stage("wallet", targets, () => injected.start?.() ?? Promise.resolve());
    closers.push(() => injected.stop?.());
    return { ark: injected, wallet: undefined };
  }
  const arkd = await stage("arkd", targets, () => connectArkd(config, ports.arkServer));
  if (ports.arkServer === undefined) closers.push(() => arkd.close());
  w.log.info({ network: arkd.info.network, version: arkd.info.version }, "arkd ready");
  const ln = lightning;
  const wallet = await stage("wallet", targets, async () => {
    const seed = await loadSeed(
      config.seed.kind === "env" ? { hex: config.seed.value } : { file: config.seed.path },
    );
    const onBatchStep = batchCrashHook(w.opts.crashAfter);
    const created = new ArkWallet({
      ...(onBatchStep === undefined ? {} : { onBatchStep }),
      ark: arkWithDeadlines(w, arkd.client, chain),
      store: createPgWalletStore(db.database.db),
      batchStore: createPgBatchStore(db.database.db),
      seed,
      log: logger.child({ subsystem: "ark-wallet" }),
      currentLocktime: async (kind) =>
        // MTP trails the wall clock by about an hour: waiting for now − 2 h never refunds early.
        kind === "blocks" ? BigInt(await ln.getHeight()) : BigInt(Math.floor(Date.now() / 1000) - 7_200),
    });
    await created.start();
    return created;
  });
  closers.push(() => wallet.stop());
  const renewal = startRenewal({ config, wallet, lightning: ln, logger });
  if (renewal !== undefined) closers.push(() => renewal.stop());
  return { ark: wallet, wallet };
}

/** The HTTP API, listening on `listen`. */
async function startHttp(
  w: Wiring,
  service: SwapService,
  listen: { readonly host: string; readonly port: number },
): Promise<NonNullable<Composition["http"]>> {
  const { opts } = w;
  const server = createHttpServer({
    service,
    logger: opts.logger,
    version: opts.version,
    ...(opts.httpLimits ? { limits: opts.httpLimits } : {}),
  });
  const bound = await stage("http", w.targets, () => server.listen(listen.host, listen.port));
  w.closers.push(() => server.close());
  const host = bound.host.includes(":") ? `[${bound.host}]` : bound.host;
  const http = { url: `http://${host}:${bound.port}`, wsUrl: `ws://${host}:${bound.port}/v2/ws` };
  w.log.info({ url: http.url }, "HTTP API listening");
  return http;
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
  const closers: Closer[] = [];
  const w: Wiring = { opts, ports, log, targets: stageTargets(opts, database), closers };
  try {
    const db = await stage("database", w.targets, () =>
      openDatabase({ database }, logger.child({ subsystem: "db" }), opts.databaseSchema),
    );
    closers.push(() => db.close());
    const { lightning, chain, chainSpends } = await startLightning(w);
    const { ark, wallet } = await startArkSide(w, lightning, chain, db);

    const settings = swapSettingsFromConfig(config, opts.engine);
    const store = createSwapStore(db.database.db);
    const onCommitted = crashPointHook(opts.crashAfter);
    if (onCommitted !== undefined) log.warn({ crashAfter: opts.crashAfter }, "TEST HOOK: crash points armed");
    const engine = new SwapEngine({
      ln: lightning,
      ...(chainSpends === undefined ? {} : { chainSpends }),
      ark,
      store,
      settings,
      logger,
      ...(onCommitted === undefined ? {} : { onCommitted }),
    });
    const service = new GatewaySwapService({ engine, store, ln: lightning, ark, settings });
    await stage("engine", w.targets, () => engine.start());
    closers.push(() => engine.stop());

    const http =
      opts.listen === false ? undefined : await startHttp(w, service, opts.listen ?? config.listen);

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
