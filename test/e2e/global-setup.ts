/**
 * Global setup of the e2e project: builds what is missing (src/regtest/build.sh, a no-op when
 * cached), then reuses a healthy running regtest network or brings one up, and provides
 * network.json's path to the tests (`inject("regtestNetworkFile")`).
 *
 * If btcd and LND are built but arkd is not (its build can fail where the Go proxy does not serve
 * arkd's nested modules), the network comes up without the Ark stack, network.json says why
 * (`arkSkipped`), and every test that needs Ark fails with that reason; LN tests still run.
 *
 * Teardown leaves the network running for the next run (and for anyone sharing the data dir)
 * unless REGTEST_KEEP=0 (CI sets it), in which case it stops what this setup started.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { arkdBuilt, down, isHealthy, up } from "../../src/regtest/network.js";
import { REPO_DIR, binDir, networkPaths } from "../../src/regtest/paths.js";
import type {} from "./helpers/provided-context.js";

let startedHere = false;

export async function setup(project: TestProject): Promise<void> {
  const paths = networkPaths();
  const t0 = Date.now();
  const log = (line: string): void =>
    console.log(`[e2e setup +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);

  // test/run-all.sh has just run build.sh itself (REGTEST_BUILT=1): don't repeat it here.
  const build =
    process.env["REGTEST_BUILT"] === "1"
      ? { status: 0 }
      : spawnSync("bash", [join(REPO_DIR, "src", "regtest", "build.sh")], { stdio: "inherit" });
  for (const [component, bin] of [
    ["btcd", "btcd"],
    ["lnd", "lnd"],
  ] as const) {
    if (!existsSync(join(binDir(component), bin)))
      throw new Error(
        `${component} is not built (build.sh exit ${String(build.status)}); see its output above`,
      );
  }
  let skipArkReason: string | undefined;
  if (process.env["REGTEST_SKIP_ARK"] === "1") skipArkReason = "REGTEST_SKIP_ARK=1";
  else if (!arkdBuilt())
    skipArkReason = `arkd binaries missing (not in the cache, src/regtest/build.sh arkd failed; see its output above)`;
  if (skipArkReason !== undefined) log(`WARNING: starting without the Ark stack: ${skipArkReason}`);
  const opts = { skipArk: skipArkReason !== undefined, skipArkReason };

  if (await isHealthy(paths, opts)) {
    log(`reusing the running regtest network (${paths.networkFile})`);
  } else {
    startedHere = true;
    await up(paths, log, opts);
    log(`regtest network up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  project.provide("regtestNetworkFile", paths.networkFile);
  project.provide("regtestDataDir", paths.dataDir);
}

export async function teardown(): Promise<void> {
  if (!startedHere || process.env["REGTEST_KEEP"] !== "0") return;
  await down(networkPaths(), (line) => console.log(`[e2e teardown] ${line}`));
}
