/**
 * Option parsing on node:util parseArgs (strict: unknown options and missing values are usage
 * errors), the shared option sets, and the mapping of the setting flags onto GATEWAY_* variables
 * (a flag wins over the environment, which wins over the config file).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage.js";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;
export type OptionValues = Record<string, string | boolean | undefined>;

export interface Parsed {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
}

/**
 * @param maxPositionals how many positional arguments the command takes
 * @throws UsageError naming the command
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  options: OptionSpecs,
  maxPositionals = 0,
): Parsed {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    // parseArgs messages name the option; drop its advice about "--" which does not apply here.
    throw new UsageError(
      (err as Error).message.replace(/\. To specify a positional argument.*$/s, ""),
      command,
    );
  }
  if (parsed.positionals.length > maxPositionals && parsed.values.help !== true) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals] ?? ""}"`, command);
  }
  return { values: parsed.values as OptionValues, positionals: parsed.positionals };
}

/** The settings every command that talks to a peer takes, and the variables they set. */
export const SETTING_FLAGS = {
  network: "GATEWAY_NETWORK",
  "data-dir": "GATEWAY_DATA_DIR",
  "arkd-url": "GATEWAY_ARKD_URL",
  "lnd-socket": "GATEWAY_LND_SOCKET",
  "lnd-cert": "GATEWAY_LND_CERT_PATH",
  "lnd-macaroon": "GATEWAY_LND_MACAROON_PATH",
  "database-url": "GATEWAY_DATABASE_URL",
  "seed-file": "GATEWAY_SEED_FILE",
  "log-level": "GATEWAY_LOG_LEVEL",
} as const;

/** The settings of the commands that only need the database. */
export const DATABASE_FLAGS = ["data-dir", "database-url", "log-level"] as const;

const stringOption = { type: "string" } as const;

/** parseArgs specs of `--config` plus the given setting flags (default: all, plus --listen). */
export function settingOptions(
  flags: readonly (keyof typeof SETTING_FLAGS | "listen")[] = [
    ...(Object.keys(SETTING_FLAGS) as (keyof typeof SETTING_FLAGS)[]),
    "listen",
  ],
): OptionSpecs {
  return Object.fromEntries([
    ["config", stringOption],
    ...flags.map((f) => [f, stringOption]),
  ]) as OptionSpecs;
}

/**
 * `--listen host:port`, `:port`, `port` or `[v6]:port` as host and port strings.
 * @throws UsageError on anything else
 */
export function splitListen(value: string, command: string): { host?: string; port: string } {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):)?([0-9]{1,5})$/.exec(value.trim());
  if (match === null) throw new UsageError(`--listen must be host:port or port, got "${value}"`, command);
  const host = match[1] === undefined || match[1] === "" ? undefined : match[1].replace(/^\[(.*)\]$/, "$1");
  return { ...(host === undefined ? {} : { host }), port: match[2] as string };
}

/**
 * The environment with the setting flags applied on top.
 * @throws UsageError on a malformed --listen
 */
export function envWithFlags(
  env: Readonly<Record<string, string | undefined>>,
  values: OptionValues,
  command: string,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const [flag, variable] of Object.entries(SETTING_FLAGS)) {
    const value = values[flag];
    if (typeof value === "string") out[variable] = value;
  }
  if (typeof values.listen === "string") {
    const { host, port } = splitListen(values.listen, command);
    if (host !== undefined) out.GATEWAY_LISTEN_HOST = host;
    out.GATEWAY_LISTEN_PORT = port;
  }
  return out;
}

/** `["--config", path]` for loadConfig when --config was given. */
export function configArgv(values: OptionValues): string[] {
  return typeof values.config === "string" ? ["--config", values.config] : [];
}
