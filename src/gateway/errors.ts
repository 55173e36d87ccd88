/**
 * Startup and lifecycle errors of the gateway, and their one-line messages. Every failure of a
 * startup stage becomes `gateway.startup_failed` whose message says what failed, why (the
 * underlying code) and what to check, never a stack trace.
 */
import { errorFactory, isGatewayError } from "../domain/errors.js";

export const GATEWAY_ERRORS = {
  /** A startup stage failed; details.stage names it, details.cause the underlying code. */
  "gateway.startup_failed": { httpStatus: 500, retryable: false },
  /** arkd or LND runs on another network than the configured one. */
  "gateway.network_mismatch": { httpStatus: 500, retryable: false },
  /** The gateway was used before start() or after stop(). */
  "gateway.not_running": { httpStatus: 503, retryable: true },
} as const;

export const gatewayError = errorFactory(GATEWAY_ERRORS);

export type StartupStage = "config" | "database" | "lnd" | "arkd" | "wallet" | "engine" | "http";

/** What a stage talks to, for the messages: e.g. `{ lnd: "127.0.0.1:10009" }`. */
export type StageTargets = Partial<Record<StartupStage, string>>;

const HINTS: Readonly<Record<StartupStage, string>> = {
  config: "check the settings (ark-ln-gateway start --help)",
  database: "check --database-url / GATEWAY_DATABASE_URL, or omit it to use the embedded Postgres",
  lnd: "check --lnd-socket, --lnd-cert and --lnd-macaroon (GATEWAY_LND_*) and that LND is running and unlocked",
  arkd: "check --arkd-url (GATEWAY_ARKD_URL) and that arkd is running",
  wallet: "check --seed-file (GATEWAY_SEED_FILE) and its permissions (chmod 600)",
  engine: "see the log above for the swap that failed to resume",
  http: "check --listen (GATEWAY_LISTEN_HOST/GATEWAY_LISTEN_PORT): is the port free?",
};

const WHAT: Readonly<Record<StartupStage, string>> = {
  config: "invalid configuration",
  database: "cannot open the database",
  lnd: "cannot use LND",
  arkd: "cannot use arkd",
  wallet: "cannot open the Ark wallet",
  engine: "cannot start the swap engine",
  http: "cannot start the HTTP API",
};

/** The first line of an error's message (messages of foreign errors can span lines). */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0]?.trim() ?? "";
}

/**
 * Wraps a stage failure as `gateway.startup_failed` with a one-line actionable message.
 * Network mismatches keep their own wording (they are not a connectivity problem).
 */
export function startupFailure(stage: StartupStage, err: unknown, targets: StageTargets = {}) {
  if (isGatewayError(err, "gateway.startup_failed")) return err;
  const code = isGatewayError(err) ? err.code : undefined;
  const target = targets[stage] === undefined ? "" : ` at ${targets[stage]}`;
  let message: string;
  if (code === "ln.wrong_network" && isGatewayError(err)) {
    const actual = Array.isArray(err.details?.actual)
      ? (err.details.actual as string[]).join(",")
      : "another network";
    message = `refusing to start: LND${target} runs on ${actual}, but the gateway is configured for ${String(err.details?.expected ?? "another network")}`;
  } else if (isGatewayError(err, "gateway.network_mismatch")) {
    message = `refusing to start: ${firstLine(err)}`;
  } else if (code === "ln.unavailable" || code === "ark.unavailable" || code === "ark.deadline_exceeded") {
    message = `${WHAT[stage]}: nothing answers${target} (${code}): ${HINTS[stage]}`;
  } else {
    message = `${WHAT[stage]}${target}: ${firstLine(err)}${code === undefined ? "" : ` (${code})`}; ${HINTS[stage]}`;
  }
  return gatewayError(
    "gateway.startup_failed",
    message,
    { stage, ...(code === undefined ? {} : { cause: code }) },
    err,
  );
}
