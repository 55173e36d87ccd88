/**
 * The configuration of a CLI command: flags over GATEWAY_* variables over the `--config` file.
 * Commands that only read or migrate the database need just its settings, so they do not ask
 * for LND or arkd settings they would never use.
 */
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { configError } from "../config/errors.js";
import { ConfigReader } from "../config/field-reader.js";
import { configFilePath, loadConfig } from "../config/load-config.js";
import { nonEmptyString, oneOf, postgresUrl } from "../config/parsers.js";
import { LOG_LEVELS, type CredentialSource, type GatewayConfig } from "../config/schema.js";
import { configArgv, envWithFlags, type OptionValues } from "./args.js";
import type { CliIo } from "./io.js";

/**
 * The full, validated configuration.
 * @throws GatewayError `config.invalid` (every problem), `config.file_unreadable`; UsageError
 */
export function loadCliConfig(values: OptionValues, io: CliIo, command: string): GatewayConfig {
  const config = loadConfig({
    env: envWithFlags(io.env, values, command),
    argv: configArgv(values),
    ...(io.readFile === undefined ? {} : { readFile: io.readFile }),
  });
  assertCredentialFiles(config);
  return config;
}

/** Why a credential path is unusable, or undefined when it is a readable file. */
function credentialFileProblem(source: CredentialSource): string | undefined {
  if (source.kind !== "path") return undefined;
  try {
    if (!statSync(source.path).isFile()) return `not a file: ${source.path}`;
    accessSync(source.path, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? `no such file: ${source.path}`
      : `cannot read ${source.path} (${code ?? "error"})`;
  }
}

/**
 * A cert or macaroon path that names no readable file is reported here as a configuration
 * problem, naming the flag, together with any others and before anything starts. The guard
 * itself is where the file is read (`credentialFile` in src/lightning/lnd/connect.ts, which also
 * protects `createGateway`); this only gives the CLI user the better message.
 * @throws GatewayError `config.invalid`
 */
function assertCredentialFiles(config: GatewayConfig): void {
  const problems: string[] = [];
  const cert = credentialFileProblem(config.lnd.cert);
  if (cert !== undefined) problems.push(`GATEWAY_LND_CERT_PATH (--lnd-cert): ${cert}`);
  const macaroon = credentialFileProblem(config.lnd.macaroon);
  if (macaroon !== undefined) problems.push(`GATEWAY_LND_MACAROON_PATH (--lnd-macaroon): ${macaroon}`);
  if (problems.length > 0) throw invalidConfiguration(problems);
}

function invalidConfiguration(problems: readonly string[]) {
  return configError(
    "config.invalid",
    `invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`,
    { problems: [...problems] },
  );
}

export type DatabaseSettings = Pick<GatewayConfig, "database" | "logLevel">;

/**
 * Only the database settings: `database.url` (GATEWAY_DATABASE_URL, --database-url) or the
 * embedded Postgres in `<dataDir>/postgres`.
 * @throws GatewayError `config.invalid`, `config.file_unreadable`
 */
export function loadDatabaseSettings(values: OptionValues, io: CliIo, command: string): DatabaseSettings {
  const env = envWithFlags(io.env, values, command);
  const path = configFilePath(configArgv(values), env);
  let file: Record<string, unknown> | undefined;
  if (path !== undefined) {
    try {
      const parsed: unknown = JSON.parse((io.readFile ?? ((p: string) => readFileSync(p, "utf8")))(path));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new Error("not a JSON object");
      file = parsed as Record<string, unknown>;
    } catch (err) {
      throw configError(
        "config.file_unreadable",
        `cannot read config file ${path}: ${(err as Error).message}`,
        { path },
      );
    }
  }
  const r = new ConfigReader(env, file, path === undefined ? undefined : `config file ${path}`);
  const url = r.optional({ path: "database.url", env: "GATEWAY_DATABASE_URL", parse: postgresUrl });
  const dataDir = r.withDefault(
    { path: "dataDir", env: "GATEWAY_DATA_DIR", parse: nonEmptyString },
    join(env.HOME ?? ".", ".ark-ln-gateway"),
  );
  const logLevel = r.withDefault(
    { path: "logLevel", env: "GATEWAY_LOG_LEVEL", parse: oneOf(LOG_LEVELS) },
    "warn",
  );
  if (r.problems.length > 0) throw invalidConfiguration(r.problems);
  return {
    database:
      url === undefined
        ? { kind: "embedded", dataDir: join(dataDir, "postgres") }
        : { kind: "external", url },
    logLevel,
  };
}
