/**
 * GetInfo (lnrpc.Lightning): identity, version, networks, sync state and height.
 */
import type { LightningNetwork } from "../../domain/lightning-network.js";
import type { NodeInfo } from "../../swaps/ports/lightning.js";
import type { LndContext } from "./context.js";
import { toLightningError } from "./lnd-error.js";
import { lnError } from "../errors.js";

/** `lnrpc.GetInfoResponse`, the fields we read. */
export interface LndGetInfo {
  readonly identity_pubkey: string;
  readonly alias: string;
  readonly version: string;
  readonly chains: readonly { readonly chain: string; readonly network: string }[];
  readonly block_height: number;
  readonly block_hash: string;
  readonly synced_to_chain: boolean;
  readonly synced_to_graph: boolean;
  readonly num_active_channels: number;
  readonly num_peers: number;
}

/** LND's network names (lncfg.NormalizeNetwork of the chain parameters' name) on chain `bitcoin`. */
const BITCOIN_NETWORKS: Readonly<Record<string, LightningNetwork>> = {
  mainnet: "mainnet",
  testnet: "testnet",
  // testnet4 shares the `tb` invoice prefix with testnet3
  testnet4: "testnet",
  signet: "signet",
  regtest: "regtest",
  simnet: "simnet",
};

/** The networks of GetInfo's `chains`, dropping chains other than bitcoin (e.g. litecoin). */
export function networksOf(chains: LndGetInfo["chains"]): LightningNetwork[] {
  return chains
    .filter((c) => c.chain === "bitcoin")
    .map((c) => BITCOIN_NETWORKS[c.network])
    .filter((n): n is LightningNetwork => n !== undefined);
}

/**
 * The best block height of a GetInfo answer.
 * @throws GatewayError `ln.unexpected_response` unless a non-negative safe integer
 */
export function blockHeightOf(res: { readonly block_height?: unknown }, operation: string): number {
  const height = res.block_height;
  if (typeof height !== "number" || !Number.isSafeInteger(height) || height < 0) {
    throw lnError("ln.unexpected_response", `${operation}: LND returned a malformed block height`, {
      value: String(height),
    });
  }
  return height;
}

/**
 * Reads the node's identity and state.
 * @returns pubkey, alias, version string, networks, sync flags, best block height and hash
 * @throws GatewayError `ln.unavailable`, `ln.wallet_locked`, `ln.permission_denied`,
 *   `ln.unexpected_response`, `ln.unexpected`
 */
export async function getInfo(ctx: LndContext): Promise<NodeInfo> {
  let res: LndGetInfo;
  try {
    res = await ctx.rpc.unary<LndGetInfo>("lightning", "GetInfo", {});
  } catch (err) {
    throw toLightningError(err, "getInfo");
  }
  const blockHeight = blockHeightOf(res, "getInfo");
  if (typeof res.identity_pubkey !== "string" || res.identity_pubkey === "" || !Array.isArray(res.chains)) {
    throw lnError("ln.unexpected_response", "getInfo: LND returned no identity pubkey or chains", {});
  }
  return {
    pubkey: res.identity_pubkey,
    alias: res.alias,
    version: res.version,
    networks: networksOf(res.chains),
    syncedToChain: res.synced_to_chain,
    syncedToGraph: res.synced_to_graph,
    blockHeight,
    blockHash: res.block_hash,
    activeChannels: res.num_active_channels,
    peers: res.num_peers,
  };
}
