/**
 * One LND node (alice, carol or bob) on loopback against our btcd: start, wait until it is
 * synced to the chain, describe it for network.json, stop, report health.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ComponentHealth } from "./ark-stack-contract.js";
import type { BtcdHandle } from "./btcd.js";
import { connectLnd, lnService, type Lnd } from "./ln-client.js";
import type { LndNodeInfo } from "./network-file.js";
import { binary } from "./paths.js";
import { assertPortsFree } from "./ports.js";
import { runningPid, startProcess, stopProcess, waitFor } from "./process.js";
import { LND_TIMELOCK_DELTA, PORTS, type LndNodeName } from "./settings.js";

export function lndProcessName(node: LndNodeName): string {
  return `lnd-${node}`;
}

/** Where a node's files live; valid whether or not it runs. */
export function lndPaths(dataDir: string, node: LndNodeName): Omit<LndNodeInfo, "identityPubkey"> {
  const dir = join(dataDir, "lnd", node);
  const ports = PORTS.lnd[node];
  return {
    name: node,
    grpcSocket: `127.0.0.1:${ports.grpc}`,
    restUrl: `https://127.0.0.1:${ports.rest}`,
    p2pAddress: `127.0.0.1:${ports.p2p}`,
    tlsCertPath: join(dir, "tls.cert"),
    adminMacaroonPath: join(dir, "data", "chain", "bitcoin", "regtest", "admin.macaroon"),
    dataDir: dir,
  };
}

function lndArgs(node: LndNodeName, paths: Omit<LndNodeInfo, "identityPubkey">, btcd: BtcdHandle): string[] {
  return [
    `--lnddir=${paths.dataDir}`,
    `--alias=${node}`,
    "--bitcoin.regtest",
    "--bitcoin.node=btcd",
    `--btcd.rpchost=${btcd.rpcHost}`,
    `--btcd.rpcuser=${btcd.rpcUser}`,
    `--btcd.rpcpass=${btcd.rpcPass}`,
    `--btcd.rpccert=${btcd.rpcCertPath}`,
    `--listen=${paths.p2pAddress}`,
    `--rpclisten=${paths.grpcSocket}`,
    `--restlisten=127.0.0.1:${PORTS.lnd[node].rest}`,
    "--tlsextraip=127.0.0.1",
    "--tlsextradomain=localhost",
    // Regtest speed (PROTOCOL.md §7).
    "--noseedbackup",
    "--nobootstrap",
    "--trickledelay=50",
    "--gossip.sub-batch-delay=5ms",
    "--db.batch-commit-interval=10ms",
    "--bitcoin.defaultchanconfs=1",
    `--bitcoin.timelockdelta=${LND_TIMELOCK_DELTA}`,
    "--maxpendingchannels=10",
    "--debuglevel=info",
  ];
}

/** Starts the node unless it runs; resolves once it answers and is synced to btcd's tip. */
export async function startLnd(
  dataDir: string,
  runDir: string,
  node: LndNodeName,
  btcd: BtcdHandle,
  log: (l: string) => void,
): Promise<LndNodeInfo> {
  const paths = lndPaths(dataDir, node);
  const name = lndProcessName(node);
  if (runningPid(runDir, name) === undefined) {
    const ports = PORTS.lnd[node];
    await assertPortsFree(name, [ports.grpc, ports.rest, ports.p2p]);
    mkdirSync(paths.dataDir, { recursive: true });
    const p = startProcess({ name, runDir, command: binary("lnd", "lnd"), args: lndArgs(node, paths, btcd) });
    log(`${name}: started (pid ${p.pid}, log ${p.logFile})`);
  } else {
    log(`${name}: already running`);
  }
  const info = await waitLndSynced(paths, btcd, 180_000);
  log(`${name}: synced at height ${info.current_block_height} (${info.public_key})`);
  return { ...paths, identityPubkey: info.public_key };
}

/**
 * Polls getWalletInfo until the node is synced to chain at btcd's tip.
 * @throws Error after `timeoutMs` with the last RPC error.
 */
export async function waitLndSynced(
  paths: Omit<LndNodeInfo, "identityPubkey">,
  btcd: BtcdHandle,
  timeoutMs: number,
): Promise<Awaited<ReturnType<ReturnType<typeof lnService>["getWalletInfo"]>>> {
  let lnd: Lnd | undefined;
  return waitFor(
    `LND ${paths.name} synced to chain`,
    timeoutMs,
    async () => {
      try {
        // The macaroon appears only once LND has created its wallet.
        lnd ??= connectLnd(paths);
        const info = await withTimeout(lnService().getWalletInfo({ lnd }), 10_000);
        const tip = await btcd.height();
        return info.is_synced_to_chain && info.current_block_height === tip ? info : undefined;
      } catch (err) {
        throw new Error(describeError(err));
      }
    },
    500,
  );
}

export async function stopLnd(runDir: string, node: LndNodeName): Promise<boolean> {
  return stopProcess(runDir, lndProcessName(node), 30_000);
}

export async function lndStatus(
  dataDir: string,
  runDir: string,
  node: LndNodeName,
): Promise<ComponentHealth> {
  const name = lndProcessName(node);
  const pid = runningPid(runDir, name);
  if (pid === undefined) return { name, healthy: false, detail: "not running" };
  try {
    const lnd = connectLnd(lndPaths(dataDir, node));
    const info = await withTimeout(lnService().getWalletInfo({ lnd }), 10_000);
    const detail =
      `height ${info.current_block_height}, synced ${info.is_synced_to_chain}, ` +
      `${info.active_channels_count} active channels, ${info.peers_count} peers, ${info.version}`;
    return { name, healthy: info.is_synced_to_chain, detail, pid };
  } catch (err) {
    return { name, healthy: false, detail: `RPC: ${describeError(err)}`, pid };
  }
}

/** ln-service rejects with arrays `[code, message, details]`; make them readable. */
export function describeError(err: unknown): string {
  if (Array.isArray(err)) return JSON.stringify(err);
  return err instanceof Error ? err.message : String(err);
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(describeError(e)));
      },
    );
  });
}
