/**
 * The module API: `createGateway(options)` builds a gateway from a configuration (already loaded,
 * or raw settings validated here), with an optional logger and optional injected ports, and
 * gives it a lifecycle (`start`, `stop`), the SwapService, the HTTP address and typed events.
 *
 * ```ts
 * const gateway = createGateway({ config: loadConfig() });
 * gateway.on("swap.update", (u) => console.log(u.id, u.status));
 * await gateway.start();
 * ```
 */
import type { Logger } from "../lib/logger.js";
import { loadConfig } from "../config/load-config.js";
import type { Env } from "../config/field-reader.js";
import type { GatewayConfig } from "../config/schema.js";
import type { HttpLimits } from "../api/http/index.js";
import type { ArkWallet } from "../ark/wallet/index.js";
import type { SwapService, SwapUpdate } from "../swaps/ports/swap-service.js";
import type { EngineKnobs } from "../swaps/settings.js";
import {
  composeGateway,
  type Composition,
  type CompositionOptions,
  type GatewayPorts,
} from "./composition.js";
import { gatewayError } from "./errors.js";
import { TypedEvents } from "./events.js";
import { createGatewayLogger } from "./logger.js";
import { packageVersion } from "./version.js";
import { errFields } from "../lib/error-fields.js";

export type { GatewayPorts, InjectedArk } from "./composition.js";

/** Settings in the config file's shape (`{ network, arkd: { url }, lnd: {...}, ... }`), validated on use. */
export type RawSettings = Readonly<Record<string, unknown>>;

export interface GatewayOptions {
  /** A loaded configuration (loadConfig), or raw settings to validate (plus `env` overrides). */
  readonly config: GatewayConfig | { readonly settings: RawSettings; readonly env?: Env };
  /** Default: pino at config.logLevel to stderr, secrets redacted. */
  readonly logger?: Logger;
  /** Adapters to use instead of the real ones (embedding, tests). */
  readonly ports?: GatewayPorts;
  /** Overrides the configured database (e.g. one schema per embedder). */
  readonly database?: { readonly url?: string; readonly schema?: string };
  /** false: no HTTP API; default: config.listen. */
  readonly listen?: false | { readonly host: string; readonly port: number };
  readonly engine?: Partial<EngineKnobs>;
  readonly httpLimits?: Partial<HttpLimits>;
  /** Test hook: crash points (see src/gateway/crash-point.ts); `start` reads GATEWAY_TEST_CRASH_AFTER. */
  readonly crashAfter?: string;
}

export interface GatewayEvents {
  /** Every committed swap state change. */
  "swap.update": SwapUpdate;
  /** A failure outside any request (shutdown problems, listener errors). */
  error: Error;
  started: { readonly http: { readonly url: string; readonly wsUrl: string } | undefined };
  stopped: Record<string, never>;
}

export interface WalletSummary {
  /** The gateway's Ark address (fund it to serve reverse swaps); absent for an injected Ark side. */
  readonly address: string | undefined;
  readonly spendableSats: bigint;
  readonly vtxoCount: number;
}

export interface Gateway {
  readonly config: GatewayConfig;
  readonly version: string;
  /** Starts every stage in order. @throws GatewayError `gateway.startup_failed` */
  start(): Promise<void>;
  /** Graceful stop (HTTP, engine, clients, pool). Idempotent. */
  stop(): Promise<void>;
  /** @throws GatewayError `gateway.not_running` before start() */
  readonly service: SwapService;
  /** The HTTP API once started (undefined with `listen: false`). */
  readonly http: { readonly url: string; readonly wsUrl: string } | undefined;
  /** The gateway's own Ark wallet, once started (undefined with an injected Ark side). */
  readonly wallet: ArkWallet | undefined;
  /** Balance (and address) of the gateway's Ark wallet. @throws `gateway.not_running` */
  walletSummary(): Promise<WalletSummary>;
  /** @returns a function removing the listener */
  on<K extends keyof GatewayEvents>(event: K, listener: (payload: GatewayEvents[K]) => void): () => void;
}

function isLoaded(config: GatewayOptions["config"]): config is GatewayConfig {
  return !("settings" in config);
}

/**
 * Validates raw settings with the same loader as the CLI (every problem reported at once).
 * @throws GatewayError `config.invalid`
 */
export function configFromSettings(settings: RawSettings, env: Env = {}): GatewayConfig {
  const text = JSON.stringify(settings, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return loadConfig({ env, argv: ["--config", "<options.config.settings>"], readFile: () => text });
}

/** The composition root's options from the embedder's (only what was given is passed on). */
function compositionOptions(
  options: GatewayOptions,
  config: GatewayConfig,
  logger: Logger,
  version: string,
): CompositionOptions {
  return {
    config,
    logger,
    version,
    ...(options.ports === undefined ? {} : { ports: options.ports }),
    ...(options.database?.url === undefined ? {} : { databaseUrl: options.database.url }),
    ...(options.database?.schema === undefined ? {} : { databaseSchema: options.database.schema }),
    ...(options.listen === undefined ? {} : { listen: options.listen }),
    ...(options.engine === undefined ? {} : { engine: options.engine }),
    ...(options.crashAfter === undefined ? {} : { crashAfter: options.crashAfter }),
    ...(options.httpLimits === undefined ? {} : { httpLimits: options.httpLimits }),
  };
}

/**
 * Builds a gateway; nothing connects before start().
 * @throws GatewayError `config.invalid` when raw settings do not validate
 */
export function createGateway(options: GatewayOptions): Gateway {
  const config = isLoaded(options.config)
    ? options.config
    : configFromSettings(options.config.settings, options.config.env);
  const logger = options.logger ?? createGatewayLogger(config.logLevel);
  const version = packageVersion();
  const events = new TypedEvents<GatewayEvents>();
  const onListenerError = (err: unknown) => logger.warn(errFields(err), "gateway event listener threw");
  let composition: Composition | undefined;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;

  const running = (): Composition => {
    if (composition === undefined || stopping !== undefined)
      throw gatewayError("gateway.not_running", "the gateway is not running (call start() first)");
    return composition;
  };

  async function doStart(): Promise<void> {
    composition = await composeGateway(compositionOptions(options, config, logger, version));
    unsubscribe = composition.service.onUpdate((u) => events.emit("swap.update", u, onListenerError));
    events.emit("started", { http: composition.http }, onListenerError);
  }

  async function doStop(): Promise<void> {
    await starting?.catch(() => undefined);
    if (composition === undefined) return;
    unsubscribe?.();
    try {
      await composition.close();
    } catch (err) {
      events.emit("error", err as Error, onListenerError);
    }
    events.emit("stopped", {}, onListenerError);
  }

  return {
    config,
    version,
    start: () => (starting ??= doStart()),
    stop: () => (stopping ??= doStop()),
    get service() {
      return running().service;
    },
    get http() {
      return composition?.http;
    },
    get wallet() {
      return composition?.wallet;
    },
    async walletSummary() {
      const c = running();
      const balance = await c.ark.balance();
      const address = c.wallet === undefined ? undefined : (await c.wallet.walletInfo()).address;
      return { address, ...balance };
    },
    on: (event, listener) => events.on(event, listener),
  };
}
