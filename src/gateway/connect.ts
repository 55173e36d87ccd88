/**
 * The startup checks of the gateway's peers, one function per peer: the database (embedded or
 * external, migrated), LND (connect, supported version and subservers, network) and arkd
 * (GetInfo, network). Each returns what it opened plus a closer; the composition root (main.ts)
 * decides the order and wraps failures with the stage they belong to.
 */
import { credentials } from "@grpc/grpc-js";
import type { Logger } from "../lib/logger.js";
import type { GatewayConfig } from "../config/schema.js";
import { createGrpcArkClient, type ArkdInfo, type ArkServerPort } from "../ark/client/index.js";
import type { Database } from "../db/client.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded-postgres.js";
import { ensureDatabase } from "../db/migrator.js";
import {
  assertSupportedLnd,
  connectLnd,
  createLndLightning,
  credentialFile,
} from "../lightning/lnd/index.js";
import type { LndContext } from "../lightning/lnd/index.js";
import type { LightningPort, NodeInfo } from "../swaps/ports/lightning.js";
import { lightningNetworkOf } from "../domain/lightning-network.js";
import { gatewayError } from "./errors.js";

/** Something opened at startup, closed in reverse order on stop or on a later failure. */
export type Closer = () => Promise<void> | void;

export interface OpenedDatabase {
  readonly database: Database;
  /** The embedded server, when the gateway runs its own Postgres. */
  readonly embedded: EmbeddedPostgres | undefined;
  /** Migrations run by this start. */
  readonly migrated: readonly string[];
  /** Ends the pool, then stops the embedded server if this process started it. */
  close(): Promise<void>;
}

/** The database URL for logs: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:[redacted]@");
}

/**
 * Opens the configured database (starting the embedded Postgres when no URL is configured) and
 * migrates it to the latest schema.
 * @param schema optional Postgres schema to work in (embedding, tests)
 * @throws GatewayError `db.*` (unreachable, migration failed, embedded server failed)
 */
export async function openDatabase(
  config: Pick<GatewayConfig, "database">,
  log: Logger,
  schema?: string,
): Promise<OpenedDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  if (config.database.kind === "embedded") {
    embedded = await startEmbeddedPostgres(config.database.dataDir);
    url = embedded.url;
    log.info(
      { dir: embedded.dir, port: embedded.port, reused: !embedded.owned },
      "embedded Postgres running",
    );
  } else {
    url = config.database.url;
  }
  let database: Database;
  try {
    database = await ensureDatabase({
      connectionString: url,
      ...(schema === undefined ? {} : { schema }),
      onIdleError: (err) => log.warn({ code: err.code, message: err.message }, "database connection lost"),
    });
  } catch (err) {
    embedded?.stop();
    throw err;
  }
  log.info({ url: redactUrl(url), schema }, "database ready");
  return {
    database,
    embedded,
    migrated: [],
    async close() {
      await database.close();
      embedded?.stop();
    },
  };
}

export interface ConnectedLnd {
  readonly lightning: LightningPort;
  /** The LND client context (for calls the port does not offer, e.g. the CLI's balance). */
  readonly context: LndContext;
  readonly info: NodeInfo;
  close(): void;
}

/** Closes the LND gRPC client (calls in flight are cancelled). */
function closeLnd(ctx: LndContext): void {
  ctx.rpc.close();
}

/**
 * Connects to LND and refuses an unsupported one (version, invoicesrpc/routerrpc, network).
 * @throws GatewayError `ln.*` (unavailable, invalid credentials, wrong network, ...)
 */
export async function connectLightning(
  config: Pick<GatewayConfig, "lnd" | "network">,
): Promise<ConnectedLnd> {
  // A configured path is read as a file (a missing one is a clear error, never taken for base64).
  const source = (c: GatewayConfig["lnd"]["cert"], field: "cert" | "macaroon") =>
    c.kind === "path" ? credentialFile(c.path, field) : c.base64;
  const ctx = connectLnd({
    socket: config.lnd.socket,
    cert: source(config.lnd.cert, "cert"),
    macaroon: source(config.lnd.macaroon, "macaroon"),
  });
  try {
    const { info } = await assertSupportedLnd(ctx, { network: lightningNetworkOf(config.network) });
    return { lightning: createLndLightning(ctx), context: ctx, info, close: () => closeLnd(ctx) };
  } catch (err) {
    closeLnd(ctx);
    throw err;
  }
}

/**
 * `host:port` and channel credentials of arkd's URL (https → TLS, http → h2c).
 * @throws GatewayError `ark.client_misconfigured` on a URL without host
 */
export function arkdAddress(url: string): { address: string; tls: boolean } {
  const parsed = new URL(url);
  const tls = parsed.protocol === "https:";
  const port = parsed.port === "" ? (tls ? "443" : "80") : parsed.port;
  return {
    address: `${parsed.hostname.includes(":") && !parsed.hostname.startsWith("[") ? `[${parsed.hostname}]` : parsed.hostname}:${port}`,
    tls,
  };
}

export interface ConnectedArkd {
  readonly client: ArkServerPort;
  readonly info: ArkdInfo;
  close(): void;
}

/**
 * Connects to arkd, reads GetInfo and refuses a server on another network.
 * @param client injected arkd client (tests, embedding); default: gRPC to config.arkd.url
 * @throws GatewayError `ark.*`, `gateway.network_mismatch`
 */
export async function connectArkd(
  config: Pick<GatewayConfig, "arkd" | "network">,
  client?: ArkServerPort,
): Promise<ConnectedArkd> {
  const { address, tls } = arkdAddress(config.arkd.url);
  const ark =
    client ?? createGrpcArkClient({ address, ...(tls ? { credentials: credentials.createSsl() } : {}) });
  try {
    const info = await ark.getInfo({ timeoutMs: 10_000 });
    if (info.network !== config.network) {
      throw gatewayError(
        "gateway.network_mismatch",
        `arkd at ${config.arkd.url} runs on ${info.network}, but the gateway is configured for ${config.network}`,
        { expected: config.network, actual: info.network },
      );
    }
    return { client: ark, info, close: () => ark.close() };
  } catch (err) {
    if (client === undefined) ark.close();
    throw err;
  }
}
