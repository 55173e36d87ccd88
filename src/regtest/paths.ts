/**
 * Where the regtest network keeps things: the data dir (default `<repo>/.regtest`, or
 * `--datadir` / `REGTEST_DATADIR`), its run dir (pid + log files) and the build cache of the
 * binaries (the same layout src/regtest/build.sh writes).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSIONS } from "./settings.js";

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export type Component = "btcd" | "lnd" | "arkd";

export interface NetworkPaths {
  readonly dataDir: string;
  /** pid and log files of every process `up` starts. */
  readonly runDir: string;
  readonly networkFile: string;
}

/** @param dataDir explicit data dir; else `REGTEST_DATADIR`; else `<repo>/.regtest`. */
export function networkPaths(dataDir?: string): NetworkPaths {
  const dir = resolve(dataDir ?? process.env["REGTEST_DATADIR"] ?? join(REPO_DIR, ".regtest"));
  return { dataDir: dir, runDir: join(dir, "run"), networkFile: join(dir, "network.json") };
}

export function cacheDir(): string {
  return process.env["ARK_LN_GATEWAY_CACHE"] ?? join(homedir(), ".cache", "ark-ln-gateway");
}

/** `<cache>/bin/<component>-<version>`, as build.sh lays it out. */
export function binDir(component: Component): string {
  return join(cacheDir(), "bin", `${component}-${VERSIONS[component]}`);
}

/**
 * The path of a built binary.
 * @throws Error naming the build command when the binary is missing.
 */
export function binary(component: Component, name: string): string {
  const path = join(binDir(component), name);
  if (!existsSync(path))
    throw new Error(`${path} is missing: build it with \`npm run regtest:build -- ${component}\``);
  return path;
}
