/**
 * GetInfo (lnrpc.Lightning) through ln-service `getWalletInfo`: identity, version, networks,
 * sync state and height.
 */
import { networkFromChainId, type LightningNetwork } from "../../domain/lightning-network.js";
import type { NodeInfo } from "../../swaps/ports/lightning.js";
import type { LndContext } from "./ln-service.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import type { LightningErrorCode } from "../errors.js";
import { lnError } from "../errors.js";

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  // ln-service's response checks (`ExpectedIdentityPubkey`, ...) mean a malformed answer.
  if (info.status === 503 && info.name !== undefined && /^Expected/.test(info.name)) {
    return "ln.unexpected_response";
  }
  return undefined;
}

/**
 * Reads the node's identity and state.
 * @returns pubkey, alias, version string, networks, sync flags, best block height and hash
 * @throws GatewayError `ln.unavailable`, `ln.wallet_locked`, `ln.permission_denied`,
 *   `ln.unexpected_response`, `ln.unexpected`
 */
export async function getInfo(ctx: LndContext): Promise<NodeInfo> {
  let res;
  try {
    res = await ctx.ln.getWalletInfo({ lnd: ctx.lnd });
  } catch (err) {
    throw toLightningError(err, "getInfo", mapError);
  }
  const networks = res.chains.map(networkFromChainId).filter((n): n is LightningNetwork => n !== undefined);
  if (!Number.isSafeInteger(res.current_block_height) || res.current_block_height < 0) {
    throw lnError("ln.unexpected_response", "getInfo: LND returned a malformed block height", {
      value: String(res.current_block_height),
    });
  }
  return {
    pubkey: res.public_key,
    alias: res.alias,
    version: res.version,
    networks,
    syncedToChain: res.is_synced_to_chain,
    syncedToGraph: res.is_synced_to_graph === true,
    blockHeight: res.current_block_height,
    blockHash: res.current_block_hash,
    activeChannels: res.active_channels_count,
    peers: res.peers_count,
  };
}
