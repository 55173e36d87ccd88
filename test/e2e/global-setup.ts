/**
 * Global setup of the e2e project: makes sure the binaries are built (test/regtest/build.sh, a
 * no-op when cached), then reuses a healthy running regtest network or brings one up, and
 * provides network.json's path to the tests (`inject("regtestNetworkFile")`).
 *
 * Teardown stops the network only if this setup started it and REGTEST_KEEP is not `1`, so a
 * developer's `npm run regtest -- up` network survives test runs.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { down, isHealthy, up } from "../regtest/network.js";
import { REPO_DIR, networkPaths } from "../regtest/paths.js";
import type {} from "./helpers/provided-context.js";

let startedHere = false;

export async function setup(project: TestProject): Promise<void> {
  const paths = networkPaths();
  const t0 = Date.now();
  const log = (line: string): void =>
    console.log(`[e2e setup +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
  const skipArk = process.env["REGTEST_SKIP_ARK"] === "1";
  if (await isHealthy(paths, { skipArk })) {
    log(`reusing the running regtest network (${paths.networkFile})`);
  } else {
    const build = spawnSync("bash", [join(REPO_DIR, "test", "regtest", "build.sh")], { stdio: "inherit" });
    if (build.status !== 0) throw new Error(`test/regtest/build.sh failed (exit ${String(build.status)})`);
    startedHere = true;
    await up(paths, log, { skipArk });
    log(`regtest network up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  project.provide("regtestNetworkFile", paths.networkFile);
  project.provide("regtestDataDir", paths.dataDir);
}

export async function teardown(): Promise<void> {
  if (!startedHere || process.env["REGTEST_KEEP"] === "1") return;
  await down(networkPaths(), (line) => console.log(`[e2e teardown] ${line}`));
}
