/**
 * The dev tooling the sandbox stands on, loaded lazily (production installs do not ship it):
 * the regtest network (test/regtest) and the e2e helpers that mint Ark notes and drive bob's LND.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { findPostgresBinDir } from "../../db/embedded-postgres.js";
import { arkdMissingMessage, SandboxError } from "./errors.js";
import type { Progress } from "./progress.js";

export type RegtestNetwork = typeof import("../../regtest/network.js");
export type RegtestPaths = typeof import("../../regtest/paths.js");
export type NetworkFile = import("../../regtest/network-file.js").NetworkFile;

export interface RegtestTooling {
  readonly network: RegtestNetwork;
  readonly paths: RegtestPaths;
  readonly versions: Readonly<Record<string, string>>;
}

/**
 * @throws SandboxError when the tooling is not there (an npm install of the package, not a checkout)
 */
export async function loadRegtestTooling(): Promise<RegtestTooling> {
  try {
    const [network, paths, settings] = await Promise.all([
      import("../../regtest/network.js"),
      import("../../regtest/paths.js"),
      import("../../regtest/settings.js"),
    ]);
    return { network, paths, versions: settings.VERSIONS };
  } catch (err) {
    throw new SandboxError(
      [
        "the sandbox needs the repository's regtest tooling (test/regtest), which is not installed here.",
        `  why:     ${(err as Error).message.split("\n")[0] ?? ""}`,
        "  to do:   run it from a git checkout of ark-ln-gateway after `npm install` (npx ark-ln-gateway sandbox)",
      ].join("\n"),
      { cause: err },
    );
  }
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

export type ArkHelpers = typeof import("../../../test/e2e/helpers/ark.js");
export type LightningHelpers = typeof import("../../../test/e2e/helpers/lightning.js");

/** The e2e helpers (Ark notes through @arkade-os/sdk, bob's invoices and payments). */
export async function loadHelpers(): Promise<{ ark: ArkHelpers; lightning: LightningHelpers }> {
  const [ark, lightning] = await Promise.all([
    import("../../../test/e2e/helpers/ark.js"),
    import("../../../test/e2e/helpers/lightning.js"),
  ]);
  return { ark, lightning };
}
