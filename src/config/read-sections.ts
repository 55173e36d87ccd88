/**
 * Reading each section of the configuration: which file path and env variable feed which
 * setting, and the defaults. The env variable names of LND, arkd, the database and the network
 * are shared with polar/config-keys.ts (a unit test keeps them in step).
 */
import { join } from "node:path";
import type { FeeSchedule } from "../domain/fees.js";
import type { SwapLimits } from "../domain/limits.js";
import type { LocktimeMode, TimeoutSettings } from "../domain/timeout-settings.js";
import type { ConfigReader } from "./field-reader.js";
import {
  base64,
  hostPort,
  httpUrl,
  integer,
  nonEmptyString,
  oneOf,
  percentAsPpm,
  port,
  postgresUrl,
} from "./parsers.js";
import {
  defaultLocktimeMode,
  LOG_LEVELS,
  NETWORKS,
  timeoutDefaults,
  type CredentialSource,
  type GatewayConfig,
  type Network,
} from "./schema.js";

const MAX_SATS = 2_100_000_000_000_000n;
const sats = integer(0n, MAX_SATS);
const chainValue = integer(-(2n ** 62n), 2n ** 62n); // sign and range checked per setting later
/** Service fees above 10 % are a typo, not a business model. */
const servicePercent = percentAsPpm(10n);

export function readBasics(r: ConfigReader, env: Readonly<Record<string, string | undefined>>) {
  const network = r.required({ path: "network", env: "GATEWAY_NETWORK", parse: oneOf(NETWORKS) });
  const dataDir = r.withDefault(
    { path: "dataDir", env: "GATEWAY_DATA_DIR", parse: nonEmptyString },
    join(env.HOME ?? ".", ".ark-ln-gateway"),
  );
  const logLevel = r.withDefault(
    { path: "logLevel", env: "GATEWAY_LOG_LEVEL", parse: oneOf(LOG_LEVELS) },
    "info",
  );
  const listen = {
    host: r.withDefault(
      { path: "listen.host", env: "GATEWAY_LISTEN_HOST", parse: nonEmptyString },
      "127.0.0.1",
    ),
    port: r.withDefault({ path: "listen.port", env: "GATEWAY_LISTEN_PORT", parse: port }, 9001),
  };
  return { network, dataDir, logLevel, listen };
}

function readCredential(r: ConfigReader, name: "cert" | "macaroon"): CredentialSource {
  const upper = name.toUpperCase();
  const path = r.optional({
    path: `lnd.${name}Path`,
    env: `GATEWAY_LND_${upper}_PATH`,
    parse: nonEmptyString,
  });
  const contents = r.optional({
    path: `lnd.${name}Base64`,
    env: `GATEWAY_LND_${upper}_BASE64`,
    parse: base64,
  });
  if (path !== undefined && contents !== undefined) {
    r.problem(`GATEWAY_LND_${upper}_PATH and GATEWAY_LND_${upper}_BASE64: give one, not both`);
  } else if (path === undefined && contents === undefined) {
    r.problem(`GATEWAY_LND_${upper}_PATH or GATEWAY_LND_${upper}_BASE64: required`);
  }
  return contents !== undefined ? { kind: "base64", base64: contents } : { kind: "path", path: path ?? "" };
}

export function readConnections(r: ConfigReader, dataDir: string) {
  const arkd = { url: r.required({ path: "arkd.url", env: "GATEWAY_ARKD_URL", parse: httpUrl }) };
  const lnd = {
    socket: r.required({ path: "lnd.socket", env: "GATEWAY_LND_SOCKET", parse: hostPort }),
    cert: readCredential(r, "cert"),
    macaroon: readCredential(r, "macaroon"),
  };
  const databaseUrl = r.optional({ path: "database.url", env: "GATEWAY_DATABASE_URL", parse: postgresUrl });
  const database: GatewayConfig["database"] =
    databaseUrl === undefined
      ? { kind: "embedded", dataDir: join(dataDir, "postgres") }
      : { kind: "external", url: databaseUrl };
  const seedFile = r.optional({ path: "seed.file", env: "GATEWAY_SEED_FILE", parse: nonEmptyString });
  // The seed value is accepted from the environment only: never from a config file that gets copied around.
  const seedValue = r.optional({ env: "GATEWAY_SEED", parse: nonEmptyString });
  if (seedFile !== undefined && seedValue !== undefined)
    r.problem("GATEWAY_SEED_FILE and GATEWAY_SEED: give one, not both");
  const seed: GatewayConfig["seed"] =
    seedValue !== undefined
      ? { kind: "env", value: seedValue }
      : { kind: "file", path: seedFile ?? join(dataDir, "seed") };
  return { arkd, lnd, database, seed };
}

function readFee(r: ConfigReader, dir: "submarine" | "reverse", percent: bigint): FeeSchedule {
  const DIR = dir.toUpperCase();
  return {
    ratePpm: r.withDefault(
      { path: `fees.${dir}.percent`, env: `GATEWAY_${DIR}_FEE_PERCENT`, parse: servicePercent },
      percent,
    ),
    baseFeeSats: r.withDefault(
      { path: `fees.${dir}.baseSats`, env: `GATEWAY_${DIR}_BASE_FEE_SATS`, parse: sats },
      0n,
    ),
  };
}

function readLimits(r: ConfigReader, dir: "submarine" | "reverse"): SwapLimits {
  const DIR = dir.toUpperCase();
  return {
    minSats: r.withDefault(
      { path: `limits.${dir}.minSats`, env: `GATEWAY_${DIR}_MIN_SATS`, parse: sats },
      1_000n,
    ),
    maxSats: r.withDefault(
      { path: `limits.${dir}.maxSats`, env: `GATEWAY_${DIR}_MAX_SATS`, parse: sats },
      10_000_000n,
    ),
  };
}

export function readMoney(r: ConfigReader) {
  return {
    fees: { submarine: readFee(r, "submarine", 1_000n), reverse: readFee(r, "reverse", 2_500n) },
    limits: { submarine: readLimits(r, "submarine"), reverse: readLimits(r, "reverse") },
    routingFeeBudget: {
      ratePpm: r.withDefault(
        { path: "routingFeeBudget.percent", env: "GATEWAY_ROUTING_FEE_PERCENT", parse: percentAsPpm(10n) },
        3_500n,
      ),
      minSats: r.withDefault(
        { path: "routingFeeBudget.minSats", env: "GATEWAY_ROUTING_FEE_MIN_SATS", parse: sats },
        121n,
      ),
    },
    funding: {
      overpayToleranceMinSats: r.withDefault(
        { path: "funding.overpayToleranceMinSats", env: "GATEWAY_OVERPAY_TOLERANCE_MIN_SATS", parse: sats },
        10_000n,
      ),
      overpayTolerancePpm: r.withDefault(
        {
          path: "funding.overpayTolerancePercent",
          env: "GATEWAY_OVERPAY_TOLERANCE_PERCENT",
          parse: percentAsPpm(99n),
        },
        20_000n,
      ),
      maxOverpayFactor: r.withDefault(
        { path: "funding.maxOverpayFactor", env: "GATEWAY_MAX_OVERPAY_FACTOR", parse: integer(1n, 100n) },
        2n,
      ),
    },
  };
}

const TIMEOUT_ENV: { readonly [K in keyof Omit<TimeoutSettings, "mode">]: string } = {
  submarineRefundDelta: "GATEWAY_SUBMARINE_REFUND_DELTA",
  reverseRefundDelta: "GATEWAY_REVERSE_REFUND_DELTA",
  unilateralClaimDelay: "GATEWAY_UNILATERAL_CLAIM_DELAY",
  unilateralRefundDelay: "GATEWAY_UNILATERAL_REFUND_DELAY",
  unilateralRefundWithoutReceiverDelay: "GATEWAY_UNILATERAL_REFUND_WITHOUT_RECEIVER_DELAY",
  lnCltvMarginBlocks: "GATEWAY_LN_CLTV_MARGIN_BLOCKS",
  holdInvoiceCltvMarginBlocks: "GATEWAY_HOLD_INVOICE_CLTV_MARGIN_BLOCKS",
  maxHoldInvoiceCltvDeltaBlocks: "GATEWAY_MAX_HOLD_INVOICE_CLTV_DELTA_BLOCKS",
  batchExpiryMargin: "GATEWAY_BATCH_EXPIRY_MARGIN",
  secondsPerBlock: "GATEWAY_SECONDS_PER_BLOCK",
  fastBlockSeconds: "GATEWAY_FAST_BLOCK_SECONDS",
  slowBlockSeconds: "GATEWAY_SLOW_BLOCK_SECONDS",
};

export function readTimeouts(r: ConfigReader, network: Network | undefined): TimeoutSettings {
  const mode: LocktimeMode = r.withDefault(
    { path: "timeouts.mode", env: "GATEWAY_LOCKTIME_MODE", parse: oneOf(["blocks", "seconds"] as const) },
    defaultLocktimeMode(network ?? "regtest"),
  );
  const defaults = timeoutDefaults(mode, network ?? "regtest");
  const settings: Record<string, bigint> = {};
  for (const [key, env] of Object.entries(TIMEOUT_ENV)) {
    settings[key] = r.withDefault(
      { path: `timeouts.${key}`, env, parse: chainValue },
      defaults[key as keyof typeof defaults],
    );
  }
  return { mode, ...(settings as Omit<TimeoutSettings, "mode">) };
}

export function readReverseInvoiceExpiry(r: ConfigReader): bigint {
  return r.withDefault(
    {
      path: "reverseInvoiceExpirySeconds",
      env: "GATEWAY_REVERSE_INVOICE_EXPIRY_SECONDS",
      parse: integer(60n, 3_600n),
    },
    3_600n,
  );
}
