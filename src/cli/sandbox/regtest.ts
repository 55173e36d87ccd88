/**
 * The regtest tooling the sandbox stands on (src/regtest, shipped with the package), loaded
 * lazily so other commands do not pay for it: the network itself, arkd's admin API (notes),
 * bob's LND (invoices and payments) and btcd's blocks (the client's coins' batch deadlines).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { findPostgresBinDir } from "../../db/embedded-postgres.js";
import { arkdMissingMessage, SandboxError } from "./errors.js";
import type { Progress } from "./progress.js";

export type NetworkFile = import("../../regtest/network-file.js").NetworkFile;

export interface RegtestTooling {
  readonly network: typeof import("../../regtest/network.js");
  readonly paths: typeof import("../../regtest/paths.js");
  readonly versions: Readonly<Record<string, string>>;
  readonly admin: typeof import("../../regtest/ark/admin-client.js");
  readonly ln: typeof import("../../regtest/ln-client.js");
  readonly chain: typeof import("../../regtest/btcd-chain-blocks.js");
}

export async function loadRegtestTooling(): Promise<RegtestTooling> {
  const [network, paths, settings, admin, ln, chain] = await Promise.all([
    import("../../regtest/network.js"),
    import("../../regtest/paths.js"),
    import("../../regtest/settings.js"),
    import("../../regtest/ark/admin-client.js"),
    import("../../regtest/ln-client.js"),
    import("../../regtest/btcd-chain-blocks.js"),
  ]);
  return { network, paths, versions: settings.VERSIONS, admin, ln, chain };
}

/**
 * Checks what the network needs before starting anything: Postgres binaries, btcd, LND, arkd.
 * @throws SandboxError naming what is missing and how to get it
 */
export function preflight(t: RegtestTooling, p: Progress): void {
  p.step("preflight: what the regtest network needs");
  try {
    p.info(`ok  postgres binaries in ${findPostgresBinDir()}`);
  } catch (err) {
    throw new SandboxError(`${(err as Error).message}`);
  }
  for (const [component, binaries] of [
    ["btcd", ["btcd"]],
    ["lnd", ["lnd", "lncli"]],
  ] as const) {
    const dir = t.paths.binDir(component);
    if (!binaries.every((b) => existsSync(join(dir, b)))) {
      throw new SandboxError(
        [
          `${component} is not built (expected in ${dir}).`,
          `  to do:   npm run regtest:build -- ${component}   (needs Go; builds from the Go module proxy)`,
        ].join("\n"),
      );
    }
    p.info(`ok  ${component} ${t.versions[component] ?? ""} in ${dir}`);
  }
  if (!t.network.arkdBuilt()) {
    p.info(`MISSING  arkd ${t.versions.arkd ?? ""} in ${t.paths.binDir("arkd")}`);
    throw new SandboxError(arkdMissingMessage(t.paths.binDir("arkd"), t.versions.arkd ?? "?"));
  }
  p.info(`ok  arkd ${t.versions.arkd ?? ""} in ${t.paths.binDir("arkd")}`);
}
