/**
 * The whole regtest network: `up` (idempotent), `down` (only what up started, by pid file) and
 * `status`. Order: Postgres, btcd, then the Ark stack (./ark-stack.ts, see
 * ark-stack-contract.ts) and the three LND nodes side by side, then LND funding and channels;
 * finally `<dataDir>/network.json`.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { ArkStackModule, ArkStackResult, ComponentHealth } from "./ark-stack-contract.js";
import { BTCD_PROCESS, btcdHandle, btcdStatus, startBtcd, stopBtcd, type BtcdHandle } from "./btcd.js";
import { setUpChannels } from "./channels.js";
import { lndStatus, startLnd, stopLnd } from "./lnd.js";
import type { LndNodeInfo, NetworkFile } from "./network-file.js";
import { binDir, type NetworkPaths } from "./paths.js";
import { postgresDataDir, postgresStatus, startPostgres, stopPostgres } from "./postgres.js";
import { isAlive, runningPid, sleep } from "./process.js";
import { LND_NODES, type LndNodeName } from "./settings.js";

export type Log = (line: string) => void;

export interface UpOptions {
  /** Leave out the Ark stack (only for working on the LN side); network.json then has `ark: null`. */
  readonly skipArk?: boolean;
  /** Why the Ark stack is left out (written to network.json as `arkSkipped`). */
  readonly skipArkReason?: string;
}

/** True when the arkd build (arkd + arkd-wallet) is in the cache. */
export function arkdBuilt(): boolean {
  return ["arkd", "arkd-wallet"].every((b) => existsSync(join(binDir("arkd"), b)));
}

/**
 * Brings every component up (reusing running ones), sets up funds and channels, and writes
 * network.json. Serialized across processes by `<dataDir>/up.lock`.
 * @returns the written network file
 */
export async function up(paths: NetworkPaths, log: Log, opts: UpOptions = {}): Promise<NetworkFile> {
  if (!opts.skipArk && !arkdBuilt())
    throw new Error(
      `arkd is not built (${binDir("arkd")} lacks arkd/arkd-wallet): run \`npm run regtest:build -- arkd\`, ` +
        "or bring up the LN side only with `npm run regtest -- up --skip-ark`",
    );
  mkdirSync(paths.runDir, { recursive: true });
  const release = await lock(`${paths.dataDir}/up.lock`, log);
  try {
    await discardStaleChain(paths, log);
    const postgresUrl = await startPostgres(paths.dataDir, paths.runDir, log);
    const btcd = await startBtcd(paths.dataDir, paths.runDir, log);
    // The Ark stack and the LND nodes start side by side: each waits for its own sync, and
    // faucet payments through the shared btcd handle are serialized.
    const [arkResult, started] = await Promise.all([
      opts.skipArk ? undefined : startArk(paths, log, btcd),
      Promise.all(LND_NODES.map((n) => startLnd(paths.dataDir, paths.runDir, n, btcd, log))),
    ]);
    const nodes = {} as Record<LndNodeName, LndNodeInfo>;
    for (const info of started) nodes[info.name] = info;
    await setUpChannels(nodes, btcd, log);
    const file: NetworkFile = {
      version: 1,
      dataDir: paths.dataDir,
      btcd: {
        rpcHost: btcd.rpcHost,
        rpcUser: btcd.rpcUser,
        rpcPass: btcd.rpcPass,
        rpcCertPath: btcd.rpcCertPath,
        p2pAddress: btcd.p2pAddress,
        miningAddress: btcd.miningAddress,
      },
      // In skipArk mode there is no Ark section; readers of `ark` fail loudly rather than get fakes.
      nbxplorer: arkResult?.nbxplorer ?? (null as unknown as NetworkFile["nbxplorer"]),
      ark: arkResult?.ark ?? (null as unknown as NetworkFile["ark"]),
      lnd: nodes,
      postgres: { url: postgresUrl, dataDir: postgresDataDir(paths.dataDir) },
      ...(opts.skipArk ? { arkSkipped: opts.skipArkReason ?? "--skip-ark / REGTEST_SKIP_ARK=1" } : {}),
    };
    writeFileSync(paths.networkFile, `${JSON.stringify(file, null, 2)}\n`);
    log(`network: ready; wrote ${paths.networkFile}`);
    return file;
  } finally {
    release();
  }
}

/**
 * Starts (or restarts what is missing of) the Ark stack against the running btcd; idempotent.
 * The restart e2e test uses it after stopping arkd.
 */
export async function startArk(
  paths: NetworkPaths,
  log: Log,
  btcd: BtcdHandle = btcdHandle(paths.dataDir),
): Promise<ArkStackResult> {
  const ark = await loadArkStack();
  return ark.startArkStack({
    dataDir: paths.dataDir,
    runDir: paths.runDir,
    arkdBinDir: binDir("arkd"),
    btcd,
    log,
  });
}

/** Folders whose state is bound to one btcd chain (Postgres is not: it is kept). */
const CHAIN_BOUND_DIRS = ["btcd", "lnd", "ark"] as const;

/**
 * btcd deletes its regtest block database every time it starts (btcd's `removeRegressionDB`),
 * so a stopped network's chain cannot be resumed: LND wallets and arkd would point at blocks
 * that no longer exist. When btcd is not running but a previous chain's state is on disk, stop
 * whatever still runs and discard that state, so `up` builds a fresh, consistent network.
 */
async function discardStaleChain(paths: NetworkPaths, log: Log): Promise<void> {
  if (runningPid(paths.runDir, BTCD_PROCESS) !== undefined) return;
  const stale = CHAIN_BOUND_DIRS.filter((d) => existsSync(join(paths.dataDir, d)));
  if (stale.length === 0) return;
  log("network: btcd is not running and cannot resume its regtest chain; starting a fresh chain");
  await stopChainBound(paths, log);
  for (const d of stale) rmSync(join(paths.dataDir, d), { recursive: true, force: true });
  rmSync(paths.networkFile, { force: true });
}

async function stopChainBound(paths: NetworkPaths, log: Log): Promise<void> {
  await Promise.all(
    LND_NODES.map(async (node) => {
      if (await stopLnd(paths.runDir, node)) log(`lnd-${node}: stopped`);
    }),
  );
  const ark = await loadArkStack().catch(() => undefined);
  if (ark) await ark.stopArkStack({ runDir: paths.runDir, log });
  if (await stopBtcd(paths.runDir)) log("btcd: stopped");
}

/**
 * Stops, by pid file, everything `up` started, in reverse order. network.json stays, but note
 * that the next `up` starts a fresh chain (see `discardStaleChain`).
 */
export async function down(paths: NetworkPaths, log: Log): Promise<void> {
  await stopChainBound(paths, log);
  if (await stopPostgres(paths.runDir)) log("postgres: stopped");
}

export async function status(paths: NetworkPaths, opts: UpOptions = {}): Promise<ComponentHealth[]> {
  const rows: ComponentHealth[] = [
    await postgresStatus(paths.runDir),
    await btcdStatus(paths.dataDir, paths.runDir),
  ];
  if (!opts.skipArk) {
    const ark = await loadArkStack().catch((err: Error) => err);
    if (ark instanceof Error) rows.push({ name: "ark-stack", healthy: false, detail: ark.message });
    else rows.push(...(await ark.arkStackStatus({ dataDir: paths.dataDir, runDir: paths.runDir })));
  }
  for (const node of LND_NODES) rows.push(await lndStatus(paths.dataDir, paths.runDir, node));
  return rows;
}

/** True when every component answers healthily and network.json exists. */
export async function isHealthy(paths: NetworkPaths, opts: UpOptions = {}): Promise<boolean> {
  if (!existsSync(paths.networkFile)) return false;
  return (await status(paths, opts)).every((r) => r.healthy);
}

async function loadArkStack(): Promise<ArkStackModule> {
  const specifier = "./ark-stack.js";
  try {
    return (await import(specifier)) as ArkStackModule;
  } catch (err) {
    throw new Error(
      `the Ark stack module src/regtest/ark-stack.ts could not be loaded (${(err as Error).message}); ` +
        "set REGTEST_SKIP_ARK=1 to run without Ark",
    );
  }
}

/** A pid lock file: waits while another live process holds it; returns the release function. */
async function lock(path: string, log: Log): Promise<() => void> {
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
      // An empty file is a lock being written right now; an old empty one is debris.
      if (!Number.isInteger(holder) && Date.now() - statSync(path).mtimeMs < 10_000) {
        await sleep(200);
        continue;
      }
      if (!Number.isInteger(holder) || !isAlive(holder)) {
        rmSync(path, { force: true });
        continue;
      }
      if (!announced) log(`network: waiting for another \`up\` (pid ${holder}) to finish`);
      announced = true;
      await sleep(1000);
    }
  }
}
