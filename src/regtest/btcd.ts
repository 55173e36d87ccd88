/**
 * btcd on loopback: regtest, txindex, mining to the faucet key, TLS JSON-RPC with its own
 * generated `rpc.cert`, its own HOME and app dir under `<dataDir>/btcd`.
 */
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { BtcdAccess, ComponentHealth } from "./ark-stack-contract.js";
import { btcdRpc } from "./btcd-rpc.js";
import { MINING_ADDRESS, createFaucet } from "./faucet.js";
import { binary } from "./paths.js";
import { assertPortsFree } from "./ports.js";
import { runningPid, startProcess, stopProcess, waitFor } from "./process.js";
import { BTCD_RPC_PASS, BTCD_RPC_USER, PORTS } from "./settings.js";

export const BTCD_PROCESS = "btcd";
/**
 * Blocks `up` makes sure exist: btcd activates segwit and taproot on regtest by BIP9 signalling
 * (144-block windows: active from 432), and the faucet needs mature coinbases.
 */
export const INITIAL_HEIGHT = 500;

export interface BtcdHandle extends BtcdAccess {
  readonly appDir: string;
  readonly p2pAddress: string;
  readonly miningAddress: string;
  height(): Promise<number>;
}

/** The handle for the btcd of `dataDir` (running or not: calls fail until it runs). */
export function btcdHandle(dataDir: string): BtcdHandle {
  const appDir = join(dataDir, "btcd");
  const config = {
    rpcHost: `127.0.0.1:${PORTS.btcdRpc}`,
    rpcUser: BTCD_RPC_USER,
    rpcPass: BTCD_RPC_PASS,
    rpcCertPath: join(appDir, "rpc.cert"),
  };
  const call = btcdRpc(config);
  const faucet = createFaucet(call);
  return {
    ...config,
    appDir,
    p2pAddress: `127.0.0.1:${PORTS.btcdP2p}`,
    miningAddress: MINING_ADDRESS,
    call,
    mine: (blocks) => call<string[]>("generate", [blocks]),
    send: (outputs) => faucet.send(outputs),
    height: () => call<number>("getblockcount"),
  };
}

/**
 * Starts btcd unless it already runs, waits until its RPC answers, mines a fresh tip (LND waits
 * for a tip < 2 h old) and up to `INITIAL_HEIGHT`.
 */
export async function startBtcd(
  dataDir: string,
  runDir: string,
  log: (l: string) => void,
): Promise<BtcdHandle> {
  const btcd = btcdHandle(dataDir);
  if (runningPid(runDir, BTCD_PROCESS) === undefined) {
    await assertPortsFree(BTCD_PROCESS, [PORTS.btcdRpc, PORTS.btcdP2p]);
    mkdirSync(join(btcd.appDir, "home"), { recursive: true });
    // An existing config file keeps btcd from writing a sample one with random RPC credentials.
    const conf = join(btcd.appDir, "btcd.conf");
    if (!existsSync(conf)) writeFileSync(conf, "");
    const p = startProcess({
      name: BTCD_PROCESS,
      runDir,
      command: binary("btcd", "btcd"),
      args: [
        "--regtest",
        "--txindex",
        `--rpccert=${btcd.rpcCertPath}`,
        `--rpckey=${join(btcd.appDir, "rpc.key")}`,
        `--configfile=${conf}`,
        `--datadir=${join(btcd.appDir, "data")}`,
        `--logdir=${join(btcd.appDir, "logs")}`,
        `--miningaddr=${MINING_ADDRESS}`,
        `--rpcuser=${BTCD_RPC_USER}`,
        `--rpcpass=${BTCD_RPC_PASS}`,
        `--rpclisten=127.0.0.1:${PORTS.btcdRpc}`,
        `--listen=127.0.0.1:${PORTS.btcdP2p}`,
        "--rpcmaxclients=500",
        "--rpcmaxwebsockets=100",
        "--rpcmaxconcurrentreqs=200",
        "--debuglevel=info",
        // arkd's virtual txs (tree, checkpoint, ark) pay no fee (v3, a zero-value P2A anchor) and
        // btcd has no package relay to take them with a fee-paying child: a zero relay fee floor
        // lets a unilateral exit (unroll) be broadcast and mined on regtest (docs/onchain-watcher.md).
        "--minrelaytxfee=0",
      ],
      env: { HOME: join(btcd.appDir, "home") },
    });
    log(`btcd: started (pid ${p.pid}, log ${p.logFile})`);
  } else {
    log("btcd: already running");
  }
  await waitFor("btcd RPC", 60_000, () => btcd.call<{ blocks: number }>("getblockchaininfo"), 300);
  const info = await btcd.call<{ blocks: number; mediantime?: number }>("getblockchaininfo");
  const tipTime = await tipTimestamp(btcd);
  if (info.blocks === 0 || Date.now() / 1000 - tipTime > 3600) await btcd.mine(1);
  const height = await btcd.height();
  if (height < INITIAL_HEIGHT) {
    log(`btcd: mining ${INITIAL_HEIGHT - height} blocks`);
    await btcd.mine(INITIAL_HEIGHT - height);
  }
  log(`btcd: ready at height ${await btcd.height()}`);
  return btcd;
}

async function tipTimestamp(btcd: BtcdHandle): Promise<number> {
  const hash = await btcd.call<string>("getbestblockhash");
  const header = await btcd.call<{ time: number }>("getblockheader", [hash, true]);
  return header.time;
}

export async function stopBtcd(runDir: string): Promise<boolean> {
  return stopProcess(runDir, BTCD_PROCESS);
}

export async function btcdStatus(dataDir: string, runDir: string): Promise<ComponentHealth> {
  const pid = runningPid(runDir, BTCD_PROCESS);
  if (pid === undefined) return { name: BTCD_PROCESS, healthy: false, detail: "not running" };
  try {
    const height = await btcdHandle(dataDir).height();
    return { name: BTCD_PROCESS, healthy: true, detail: `height ${height}`, pid };
  } catch (err) {
    return { name: BTCD_PROCESS, healthy: false, detail: `RPC: ${(err as Error).message}`, pid };
  }
}
