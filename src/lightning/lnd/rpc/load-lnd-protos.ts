/**
 * LND's own protos (v0.20.1, `proto/lnd/`, MIT), loaded once at runtime with proto-loader, as
 * the Ark client loads arkd's (src/ark/client/load-protos.ts). Only the services the adapter
 * calls are taken out of the package.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPackageDefinition, type ServiceDefinition } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { lnError } from "../../errors.js";

/** The services the adapter calls, by the name adapter functions use. */
export type LndServiceName = "lightning" | "invoices" | "router" | "chain" | "blocks" | "wallet";

export type LndServiceDefinitions = Readonly<Record<LndServiceName, ServiceDefinition>>;

const FILES = [
  "lightning.proto",
  "invoicesrpc/invoices.proto",
  "routerrpc/router.proto",
  "chainrpc/chainnotifier.proto",
  "chainrpc/chainkit.proto",
  "walletrpc/walletkit.proto",
] as const;

const SERVICES: Readonly<Record<LndServiceName, readonly [string, string]>> = {
  lightning: ["lnrpc", "Lightning"],
  invoices: ["invoicesrpc", "Invoices"],
  router: ["routerrpc", "Router"],
  chain: ["chainrpc", "ChainNotifier"],
  blocks: ["chainrpc", "ChainKit"],
  wallet: ["walletrpc", "WalletKit"],
};

/**
 * Walks up from this module to the repository's `proto/lnd` (works from `src/` under tsx and
 * from `dist/src/` after a build).
 * @throws GatewayError `ln.unexpected` when no ancestor holds proto/lnd/lightning.proto
 */
export function defaultLndProtoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 10; i++) {
    const candidate = join(dir, "proto", "lnd");
    if (existsSync(join(candidate, FILES[0]))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw lnError("ln.unexpected", "cannot find the proto/lnd directory with LND's protos");
}

let loaded: LndServiceDefinitions | undefined;

/**
 * Loads (once) the service definitions: 64-bit integers as decimal strings (exact), enums as
 * their names, defaults filled in, field names as in the protos (snake_case).
 * @throws GatewayError `ln.unexpected` when the files are missing or do not parse
 */
export function loadLndServices(protoDir?: string): LndServiceDefinitions {
  // once loaded, every RPC asks for its method here: no file system walk then
  if (loaded !== undefined) return loaded;
  const dir = resolve(protoDir ?? defaultLndProtoDir());
  try {
    const pkg = loadSync([...FILES], {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: [dir],
    });
    const root = loadPackageDefinition(pkg) as Record<string, Record<string, { service: ServiceDefinition }>>;
    const out = {} as Record<LndServiceName, ServiceDefinition>;
    for (const [name, [pkgName, service]] of Object.entries(SERVICES) as [
      LndServiceName,
      readonly [string, string],
    ][]) {
      const def = root[pkgName]?.[service]?.service;
      if (def === undefined) throw new Error(`${pkgName}.${service} is not in the protos`);
      out[name] = def;
    }
    loaded = out;
    return out;
  } catch (err) {
    throw lnError(
      "ln.unexpected",
      `cannot load LND's protos from ${dir}: ${(err as Error).message}`,
      {},
      err,
    );
  }
}
