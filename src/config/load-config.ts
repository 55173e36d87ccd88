/**
 * Loads the configuration once: a JSON file (`--config <path>` or GATEWAY_CONFIG_FILE) and/or
 * GATEWAY_* environment variables (env wins), validated as a whole — one `config.invalid`
 * error lists every problem — and deeply frozen.
 */
import { readFileSync } from "node:fs";
import { crossFieldProblems } from "./cross-checks.js";
import { configError } from "./errors.js";
import { ConfigReader, type Env } from "./field-reader.js";
import {
  readBasics,
  readConnections,
  readMoney,
  readReverseInvoiceExpiry,
  readTimeouts,
} from "./read-sections.js";
import { readRenewal } from "./read-renewal.js";
import type { GatewayConfig } from "./schema.js";

export interface LoadConfigOptions {
  /** Default: process.env. */
  readonly env?: Env;
  /** Command-line arguments (without node and script); default: process.argv.slice(2). */
  readonly argv?: readonly string[];
  /** Default: fs.readFileSync(path, "utf8"). */
  readonly readFile?: (path: string) => string;
}

/** The config file path from `--config <path>` / `--config=<path>`, else GATEWAY_CONFIG_FILE. */
export function configFilePath(argv: readonly string[], env: Env): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--config") return argv[i + 1];
    if (arg.startsWith("--config=")) return arg.slice("--config=".length);
  }
  const fromEnv = env.GATEWAY_CONFIG_FILE;
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

function readConfigFile(path: string, readFile: (path: string) => string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (err) {
    throw configError(
      "config.file_unreadable",
      `cannot read config file ${path}: ${(err as Error).message}`,
      { path },
      err,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw configError("config.file_unreadable", `config file ${path} must hold a JSON object`, { path });
  }
  return parsed as Record<string, unknown>;
}

/** Freezes an object graph in place. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Reads, validates and freezes the configuration.
 * @throws GatewayError `config.file_unreadable` (file missing or not a JSON object),
 *   `config.invalid` with `details.problems` listing every problem found
 */
export function loadConfig(opts: LoadConfigOptions = {}): GatewayConfig {
  const env = opts.env ?? process.env;
  const path = configFilePath(opts.argv ?? process.argv.slice(2), env);
  if (path === "") throw configError("config.file_unreadable", "--config needs a path");
  const file =
    path === undefined ? undefined : readConfigFile(path, opts.readFile ?? ((p) => readFileSync(p, "utf8")));
  const r = new ConfigReader(env, file, path === undefined ? undefined : `config file ${path}`);

  const basics = readBasics(r, env);
  const config: GatewayConfig = {
    ...basics,
    ...readConnections(r, basics.dataDir),
    ...readMoney(r),
    timeouts: readTimeouts(r, basics.network),
    reverseInvoiceExpirySeconds: readReverseInvoiceExpiry(r),
    renewal: readRenewal(r, basics.network),
  };
  r.reportUnknownFileKeys();
  // Cross-field checks only make sense on well-formed fields; otherwise they add noise.
  if (r.problems.length === 0) for (const p of crossFieldProblems(config)) r.problem(p);
  if (r.problems.length > 0) {
    throw configError(
      "config.invalid",
      `invalid configuration (${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}):\n  - ${r.problems.join("\n  - ")}`,
      { problems: [...r.problems] },
    );
  }
  return deepFreeze(config);
}
