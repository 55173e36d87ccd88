/**
 * The contract between the network orchestrator (network.ts, owned by the LN side) and the Ark
 * stack (ark-stack.ts: NBXplorer-compatible service, arkd-wallet, arkd, arkd init; owned by the
 * Ark side). network.ts imports `./ark-stack.js` and calls the three functions below; everything
 * the Ark stack needs from the rest of the network is in `ArkStackContext`.
 *
 * Order inside `up`: Postgres, btcd (height ≥ 500: segwit/taproot active, coinbases mature) →
 * startArkStack and the LND nodes side by side (btcd's tip moves while either mines) → LND
 * funding + channels. `down` calls stopArkStack before stopping btcd.
 *
 * Rules the Ark side keeps (the restart e2e test relies on them):
 * - Processes are started with process.ts `startProcess({ runDir: ctx.runDir, name })` using the
 *   names in `ARK_PROCESS_NAMES`, so `stopProcess(runDir, ARK_PROCESS_NAMES.arkd)` stops arkd.
 * - `startArkStack` is idempotent: it reuses what is running and healthy, (re)starts what is not
 *   (e.g. arkd after it was stopped), unlocks/creates the wallet as needed, and resolves only when
 *   arkd answers GetInfo and its wallet is initialized, unlocked, synced and funded.
 * - All state lives under `<ctx.dataDir>/ark/` (subfolders are yours); loopback ports from
 *   settings.ts (`PORTS.nbxplorer`, `PORTS.arkdWallet`, `PORTS.arkd`, `PORTS.arkdAdmin`).
 *
 * What the LN side guarantees in return:
 * - btcd deletes its regtest block database whenever it starts, so a chain never survives a
 *   btcd restart. `up` therefore only ever reuses a btcd that is still running; otherwise it
 *   stops the Ark stack and LND, deletes `<dataDir>/{btcd,lnd,ark}` and network.json, and builds
 *   a fresh chain. The Ark stack never sees its state outlive its chain.
 * - Without arkd binaries (their build needs arkd's nested modules, which some module proxies
 *   refuse), `up --skip-ark` / the e2e setup write network.json with `ark: null`,
 *   `nbxplorer: null` and `arkSkipped: "<why>"`; Ark helpers should fail with that reason.
 */
import type { NetworkFile } from "./network-file.js";

/** process.ts names (and so `<runDir>/<name>.pid|.log`) of the Ark stack's processes. */
export const ARK_PROCESS_NAMES = {
  nbxplorer: "nbxplorer",
  arkdWallet: "arkd-wallet",
  arkd: "arkd",
} as const;

/** An output of a faucet payment: `sats` to a regtest address (any type btc-signer decodes). */
export interface FaucetOutput {
  readonly address: string;
  readonly sats: bigint;
}

/** What the Ark stack may use of btcd. All calls go to btcd's TLS JSON-RPC on loopback. */
export interface BtcdAccess {
  /** host:port of btcd's JSON-RPC (TLS, self-signed: trust `rpcCertPath`). */
  readonly rpcHost: string;
  readonly rpcUser: string;
  readonly rpcPass: string;
  readonly rpcCertPath: string;
  /** One JSON-RPC call; throws on an RPC error with btcd's message. */
  call<T>(method: string, params?: readonly unknown[]): Promise<T>;
  /** Mines `blocks` blocks to our mining key; returns their hashes. */
  mine(blocks: number): Promise<string[]>;
  /**
   * Pays the outputs in one transaction from mature coinbase outputs of our mining key, broadcasts
   * it and returns its txid (unconfirmed: mine to confirm). Calls are serialized.
   */
  send(outputs: readonly FaucetOutput[]): Promise<string>;
}

export interface ArkStackContext {
  /** The network's data dir (`.regtest/` by default); the Ark stack keeps its state in `<dataDir>/ark/`. */
  readonly dataDir: string;
  /** Folder of the pid and log files (process.ts `runDir`). */
  readonly runDir: string;
  /** Folder holding the built `arkd` and `arkd-wallet` binaries (the build cache). */
  readonly arkdBinDir: string;
  readonly btcd: BtcdAccess;
  /** Progress lines for the user (`up` prints them with elapsed seconds). */
  readonly log: (line: string) => void;
}

export interface ArkStackResult {
  readonly ark: NetworkFile["ark"];
  readonly nbxplorer: NetworkFile["nbxplorer"];
  /** process.ts names of the processes the stack runs, in start order. */
  readonly processes: readonly string[];
}

/** One line of `npm run regtest -- status`. */
export interface ComponentHealth {
  readonly name: string;
  readonly healthy: boolean;
  /** Short human-readable detail: height, version, why unhealthy. */
  readonly detail: string;
  readonly pid?: number;
}

/** What `./ark-stack.ts` exports. */
export interface ArkStackModule {
  startArkStack(ctx: ArkStackContext): Promise<ArkStackResult>;
  /** Stops, by pid file, only the processes the stack started (reverse start order). */
  stopArkStack(ctx: Pick<ArkStackContext, "runDir" | "log">): Promise<void>;
  arkStackStatus(ctx: Pick<ArkStackContext, "dataDir" | "runDir">): Promise<ComponentHealth[]>;
}
