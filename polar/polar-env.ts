/**
 * Writes the gateway's config for a Polar network:
 *
 *   npx tsx polar/polar-env.ts --network <id|name> [--node alice] [--polar-dir ~/.polar] [--out gateway.env]
 *
 * Reads `<polarDir>/networks/networks.json` (Polar's own record of its networks), finds the
 * network and its LND node, and takes the node's host ports from there (Polar moves a node to
 * the next free port when the default is busy, so the defaults cannot be assumed). The cert and
 * macaroon live in the network's folder: `volumes/lnd/<name>/tls.cert` and
 * `volumes/lnd/<name>/data/chain/bitcoin/regtest/admin.macaroon` (written by LND on first start).
 * arkd and Postgres are those of polar/docker-compose.ark.yml, published on the native ports.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { errorFactory, GatewayError } from "../src/domain/errors.js";
import { PORTS } from "../src/regtest/settings.js";
import { GATEWAY_CONFIG_KEYS, type GatewayConfigKey } from "./config-keys.js";

export const POLAR_ENV_ERRORS = {
  "polar.usage": { httpStatus: 400, retryable: false },
  "polar.dir_not_found": { httpStatus: 404, retryable: false },
  "polar.networks_file_invalid": { httpStatus: 422, retryable: false },
  "polar.network_not_found": { httpStatus: 404, retryable: false },
  "polar.network_ambiguous": { httpStatus: 409, retryable: false },
  "polar.network_dir_not_found": { httpStatus: 404, retryable: false },
  "polar.node_not_found": { httpStatus: 404, retryable: false },
  "polar.node_not_lnd": { httpStatus: 422, retryable: false },
  "polar.node_file_missing": { httpStatus: 404, retryable: true },
} as const;

const fail = errorFactory(POLAR_ENV_ERRORS);

/** What polar/docker-compose.ark.yml publishes on the host (checked by the unit test). */
export const ARK_COMPOSE_ENDPOINTS = {
  arkdUrl: `http://127.0.0.1:${PORTS.arkd}`,
  postgres: { user: "gateway", password: "gateway", database: "gateway", port: PORTS.postgres },
} as const;

export const DEFAULT_DATABASE_URL = (() => {
  const pg = ARK_COMPOSE_ENDPOINTS.postgres;
  return `postgres://${pg.user}:${pg.password}@127.0.0.1:${pg.port}/${pg.database}`;
})();

export interface PolarLndTarget {
  readonly polarDir: string;
  readonly networkId: number;
  readonly networkName: string;
  /** `<polarDir>/networks/<id>` */
  readonly networkDir: string;
  readonly nodeName: string;
  readonly version: string;
  /** Host ports as Polar recorded them (possibly moved off the defaults). */
  readonly ports: { readonly grpc: number; readonly rest: number };
  readonly tlsCertPath: string;
  readonly adminMacaroonPath: string;
}

/** The folders Polar keeps its data in: `~/.polar`, or `~/.local/share/polar` (XDG, Linux). */
export function polarDirCandidates(home: string = homedir()): string[] {
  const xdg = process.env.XDG_DATA_HOME;
  return [
    join(home, ".polar"),
    join(xdg !== undefined && xdg !== "" ? xdg : join(home, ".local", "share"), "polar"),
  ];
}

/**
 * Picks the Polar data folder: the explicit one, else the first candidate holding
 * `networks/networks.json`.
 * @throws GatewayError `polar.dir_not_found`
 */
export function findPolarDir(explicit?: string, home: string = homedir()): string {
  if (explicit !== undefined) {
    const dir = resolve(explicit.replace(/^~(?=$|\/)/, home));
    if (!existsSync(join(dir, "networks", "networks.json")))
      throw fail(
        "polar.dir_not_found",
        `${join(dir, "networks", "networks.json")} does not exist: is ${dir} Polar's data folder?`,
      );
    return dir;
  }
  const candidates = polarDirCandidates(home);
  const found = candidates.find((d) => existsSync(join(d, "networks", "networks.json")));
  if (found === undefined)
    throw fail(
      "polar.dir_not_found",
      `no Polar data folder found (looked for networks/networks.json in ${candidates.join(", ")}); pass --polar-dir`,
    );
  return found;
}

interface RawNode {
  name?: unknown;
  implementation?: unknown;
  version?: unknown;
  ports?: { grpc?: unknown; rest?: unknown };
}
interface RawNetwork {
  id?: unknown;
  name?: unknown;
  nodes?: { lightning?: unknown };
}

function readNetworks(file: string): RawNetwork[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw fail("polar.networks_file_invalid", `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const networks = (parsed as { networks?: unknown } | null)?.networks;
  if (!Array.isArray(networks)) throw fail("polar.networks_file_invalid", `${file} has no "networks" list`);
  return networks as RawNetwork[];
}

function describe(networks: RawNetwork[]): string {
  if (networks.length === 0) return "Polar has no networks";
  return `Polar's networks: ${networks.map((n) => `${String(n.id)} "${String(n.name)}"`).join(", ")}`;
}

function selectNetwork(networks: RawNetwork[], selector: string, file: string): RawNetwork {
  const byId = /^\d+$/.test(selector) ? networks.filter((n) => n.id === Number(selector)) : [];
  const matches =
    byId.length > 0
      ? byId
      : networks.filter((n) => typeof n.name === "string" && n.name.toLowerCase() === selector.toLowerCase());
  if (matches.length === 0)
    throw fail("polar.network_not_found", `no network "${selector}" in ${file}. ${describe(networks)}`);
  if (matches.length > 1)
    throw fail(
      "polar.network_ambiguous",
      `several networks are named "${selector}" (ids ${matches.map((n) => String(n.id)).join(", ")}); pass --network <id>`,
    );
  return matches[0] as RawNetwork;
}

function port(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0 || value > 65535)
    throw fail("polar.networks_file_invalid", `${what} is not a port number: ${String(value)}`);
  return value;
}

/**
 * Finds an LND node of a Polar network and the files the gateway needs to reach it.
 * @param polarDir Polar's data folder (see findPolarDir)
 * @param networkSelector the network's id, or its name (case-insensitive)
 * @param nodeName the LND node (default `alice`)
 * @throws GatewayError `polar.networks_file_invalid`, `polar.network_not_found`,
 *   `polar.network_ambiguous`, `polar.network_dir_not_found`, `polar.node_not_found`,
 *   `polar.node_not_lnd`, `polar.node_file_missing`
 */
export function readPolarLndTarget(
  polarDir: string,
  networkSelector: string,
  nodeName = "alice",
): PolarLndTarget {
  if (networkSelector.trim() === "") throw fail("polar.usage", "the network id or name is empty");
  const file = join(polarDir, "networks", "networks.json");
  if (!existsSync(file)) throw fail("polar.dir_not_found", `${file} does not exist`);
  const networks = readNetworks(file);
  const network = selectNetwork(networks, networkSelector, file);
  if (typeof network.id !== "number")
    throw fail("polar.networks_file_invalid", `a network in ${file} has no numeric id`);
  const networkName = String(network.name);
  // The network's folder is derived from the data folder rather than taken from `network.path`,
  // which holds the absolute path of whoever created it (stale after a move or a copied file).
  const networkDir = join(polarDir, "networks", String(network.id));
  if (!existsSync(networkDir) || !statSync(networkDir).isDirectory())
    throw fail(
      "polar.network_dir_not_found",
      `network ${network.id} "${networkName}" is in networks.json but ${networkDir} does not exist`,
    );

  const lightning = Array.isArray(network.nodes?.lightning) ? (network.nodes.lightning as RawNode[]) : [];
  const node = lightning.find((n) => n.name === nodeName);
  if (node === undefined) {
    const names = lightning.map((n) => `${String(n.name)} (${String(n.implementation)})`);
    throw fail(
      "polar.node_not_found",
      `network ${network.id} "${networkName}" has no lightning node "${nodeName}"; it has: ${names.join(", ") || "none"}`,
    );
  }
  if (node.implementation !== "LND")
    throw fail(
      "polar.node_not_lnd",
      `node "${nodeName}" of network ${network.id} is ${String(node.implementation)}, not LND`,
    );
  const ports = {
    grpc: port(node.ports?.grpc, `${nodeName}'s gRPC port`),
    rest: port(node.ports?.rest, `${nodeName}'s REST port`),
  };

  const lndDir = join(networkDir, "volumes", "lnd", nodeName);
  const tlsCertPath = join(lndDir, "tls.cert");
  const adminMacaroonPath = join(lndDir, "data", "chain", "bitcoin", "regtest", "admin.macaroon");
  for (const path of [tlsCertPath, adminMacaroonPath])
    if (!existsSync(path))
      throw fail(
        "polar.node_file_missing",
        `${path} does not exist: start network "${networkName}" in Polar (LND writes it on first start)`,
      );

  return {
    polarDir,
    networkId: network.id,
    networkName,
    networkDir,
    nodeName,
    version: String(node.version),
    ports,
    tlsCertPath,
    adminMacaroonPath,
  };
}

export interface GatewayEnvOptions {
  readonly arkdUrl?: string;
  readonly databaseUrl?: string;
}

/** The gateway's config for a Polar LND node plus the ark compose stack, in key order. */
export function gatewayEnvFor(
  target: PolarLndTarget,
  opts: GatewayEnvOptions = {},
): Record<GatewayConfigKey, string> {
  return {
    [GATEWAY_CONFIG_KEYS.lndSocket]: `127.0.0.1:${target.ports.grpc}`,
    [GATEWAY_CONFIG_KEYS.lndCertPath]: target.tlsCertPath,
    [GATEWAY_CONFIG_KEYS.lndMacaroonPath]: target.adminMacaroonPath,
    [GATEWAY_CONFIG_KEYS.arkdUrl]: opts.arkdUrl ?? ARK_COMPOSE_ENDPOINTS.arkdUrl,
    [GATEWAY_CONFIG_KEYS.databaseUrl]: opts.databaseUrl ?? DEFAULT_DATABASE_URL,
    [GATEWAY_CONFIG_KEYS.network]: "regtest",
  } as Record<GatewayConfigKey, string>;
}

/** `KEY=value` lines; values with spaces or quotes are double-quoted. */
export function formatEnvFile(env: Readonly<Record<string, string>>, header?: string): string {
  const quote = (v: string) => (/^[\w@%+=:,./-]*$/.test(v) ? v : JSON.stringify(v));
  const lines = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
  return `${header === undefined ? "" : `# ${header}\n`}${lines.join("\n")}\n`;
}

interface CliArgs {
  network: string;
  node: string;
  polarDir: string | undefined;
  out: string | undefined;
  arkdUrl: string | undefined;
  databaseUrl: string | undefined;
}

const USAGE =
  "usage: npx tsx polar/polar-env.ts --network <id|name> [--node alice] [--polar-dir ~/.polar] [--out gateway.env] [--arkd-url URL] [--database-url URL]";

export function parseArgs(argv: readonly string[]): CliArgs {
  const flags = new Map<string, string>();
  const known = ["--network", "--node", "--polar-dir", "--out", "--arkd-url", "--database-url"];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (!known.includes(flag)) throw fail("polar.usage", `unknown argument "${arg}"\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw fail("polar.usage", `${flag} needs a value\n${USAGE}`);
    flags.set(flag, value);
  }
  const network = flags.get("--network");
  if (network === undefined) throw fail("polar.usage", `--network is required\n${USAGE}`);
  return {
    network,
    node: flags.get("--node") ?? "alice",
    polarDir: flags.get("--polar-dir"),
    out: flags.get("--out"),
    arkdUrl: flags.get("--arkd-url"),
    databaseUrl: flags.get("--database-url"),
  };
}

/** CLI entry; returns the exit code. Expected failures print one line, never a stack trace. */
export function main(argv: readonly string[]): number {
  try {
    const args = parseArgs(argv);
    const polarDir = findPolarDir(args.polarDir);
    const target = readPolarLndTarget(polarDir, args.network, args.node);
    const env = gatewayEnvFor(target, {
      ...(args.arkdUrl === undefined ? {} : { arkdUrl: args.arkdUrl }),
      ...(args.databaseUrl === undefined ? {} : { databaseUrl: args.databaseUrl }),
    });
    const text = formatEnvFile(
      env,
      `ark-ln-gateway config for Polar network ${target.networkId} "${target.networkName}", LND ${target.nodeName} ${target.version}`,
    );
    if (args.out === undefined) {
      process.stdout.write(text);
    } else {
      writeFileSync(args.out, text);
      process.stderr.write(
        `polar-env: wrote ${args.out} (LND ${target.nodeName} gRPC 127.0.0.1:${target.ports.grpc})\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof GatewayError && e.code.startsWith("polar.")) {
      process.stderr.write(`polar-env: ${e.message}\n`);
      return e.code === "polar.usage" ? 2 : 1;
    }
    process.stderr.write(`polar-env: unexpected error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = main(process.argv.slice(2));
}
