/**
 * The configuration table of docs/configuration.md, generated from the config loader itself: a recording
 * ConfigReader runs every section reader and notes each setting's file key, variable, default
 * and whether it is required. `npm run docs:config` writes it between that page's markers.
 */
import { ConfigReader, type FieldSpec } from "../../config/field-reader.js";

/** Where the configuration table lives, from the repository root. */
export const CONFIG_DOC_PATH = "docs/configuration.md";
import {
  readBasics,
  readConnections,
  readMoney,
  readReverseInvoiceExpiry,
  readTimeouts,
} from "../../config/read-sections.js";
import { readRenewal } from "../../config/read-renewal.js";

export interface ConfigKey {
  readonly path: string | undefined;
  readonly env: string | undefined;
  readonly required: boolean;
  /** As the loader sees it (bigint, number, string), undefined when none. */
  readonly fallback: unknown;
}

class RecordingReader extends ConfigReader {
  readonly keys: ConfigKey[] = [];

  constructor() {
    super({}, undefined);
  }
  override optional<T>(spec: FieldSpec<T>): T | undefined {
    if (!this.keys.some((k) => k.env === spec.env && k.path === spec.path))
      this.keys.push({ path: spec.path, env: spec.env, required: false, fallback: undefined });
    return undefined;
  }
  override withDefault<T>(spec: FieldSpec<T>, fallback: T): T {
    this.keys.push({ path: spec.path, env: spec.env, required: false, fallback });
    return fallback;
  }
  override required<T>(spec: FieldSpec<T>): T {
    this.keys.push({ path: spec.path, env: spec.env, required: true, fallback: undefined });
    return undefined as T;
  }
}

/** Every setting the loader reads (timeout defaults of the regtest/blocks mode). */
export function configKeys(): readonly ConfigKey[] {
  const r = new RecordingReader();
  const basics = readBasics(r, { HOME: "~" });
  readConnections(r, basics.dataDir);
  readMoney(r);
  readTimeouts(r, "regtest");
  readReverseInvoiceExpiry(r);
  readRenewal(r, "regtest");
  return r.keys;
}

const PERCENT_KEYS = /percent/i;

function describeDefault(key: ConfigKey): string {
  if (key.required) return "**required**";
  if (key.fallback === undefined) {
    if (key.env === "GATEWAY_DATABASE_URL") return "embedded Postgres in `<dataDir>/postgres`";
    if (key.env === "GATEWAY_SEED_FILE") return "`<dataDir>/seed`";
    if (key.env?.startsWith("GATEWAY_LND_")) return "one of path/base64";
    return "—";
  }
  if (typeof key.fallback === "bigint" && key.path !== undefined && PERCENT_KEYS.test(key.path)) {
    return `\`${(Number(key.fallback) / 10_000).toString()}\` %`;
  }
  return `\`${String(key.fallback)}\``;
}

/** The Markdown table (file key, variable, default). */
export function configTableMarkdown(): string {
  const rows = configKeys().map(
    (k) =>
      `| ${k.path === undefined ? "(env only)" : `\`${k.path}\``} | \`${k.env ?? "—"}\` | ${describeDefault(k)} |`,
  );
  return ["| config file key | environment variable | default |", "| --- | --- | --- |", ...rows].join("\n");
}

export const CONFIG_TABLE_START = "<!-- config-table:start (npm run docs:config) -->";
export const CONFIG_TABLE_END = "<!-- config-table:end -->";

/**
 * The page (docs/configuration.md) with the table between the markers replaced.
 * @throws Error when the markers are missing
 */
export function withConfigTable(page: string): string {
  const start = page.indexOf(CONFIG_TABLE_START);
  const end = page.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start) throw new Error(`${CONFIG_DOC_PATH} lacks the config-table markers`);
  return `${page.slice(0, start + CONFIG_TABLE_START.length)}\n${configTableMarkdown()}\n${page.slice(end)}`;
}
