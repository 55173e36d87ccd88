/**
 * A chain reader (src/chain/port.ts) over a regtest btcd's RPC: what a wallet outside the gateway
 * (the sandbox's client, the e2e client) needs to derive its VTXOs' block-mode sweep deadlines
 * (src/ark/expiry), as the gateway does over its LND.
 */
import type { ChainBlocksPort } from "../chain/port.js";
import { btcdHandle, type BtcdHandle } from "./btcd.js";

export function btcdChainBlocks(btcd: BtcdHandle): ChainBlocksPort {
  return {
    tipHeight: () => btcd.height(),
    async blockAt(height) {
      const hash = await btcd.call<string>("getblockhash", [height]);
      const block = await btcd.call<{ time: number; tx: string[] }>("getblock", [hash, 1]);
      return { time: block.time, txids: block.tx };
    },
  };
}

/** The chain reader over the btcd of the regtest network in `dataDir`. */
export function regtestChainBlocks(dataDir: string): ChainBlocksPort {
  return btcdChainBlocks(btcdHandle(dataDir));
}
