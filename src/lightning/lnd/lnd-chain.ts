/**
 * The chain reader (src/chain/port.ts) over LND: the tip through `getHeight`, a block through
 * chainrpc ChainKit (GetBlockHash at the height, then GetBlock; LND ≥ 0.16 built with the
 * chainrpc tag, which the gateway already requires) parsed by src/chain/raw-block.ts.
 */
import type { ChainBlocksPort } from "../../chain/port.js";
import { summarizeBlock } from "../../chain/raw-block.js";
import { lnError } from "../errors.js";
import type { LndContext } from "./context.js";
import { getHeight } from "./get-height.js";
import { toLightningError } from "./lnd-error.js";

/**
 * The raw block at `height` of LND's best chain.
 * @throws GatewayError `ln.*` when LND fails, `ln.unexpected_response` for an answer without bytes
 */
async function rawBlockAt(ctx: LndContext, height: number): Promise<Buffer> {
  let hash;
  try {
    hash = await ctx.rpc.unary<{ block_hash?: Buffer }>("blocks", "GetBlockHash", { block_height: height });
  } catch (err) {
    throw toLightningError(err, "getBlockHash");
  }
  if (!Buffer.isBuffer(hash.block_hash) || hash.block_hash.length !== 32)
    throw lnError("ln.unexpected_response", "getBlockHash: LND returned no block hash", { height });
  let block;
  try {
    block = await ctx.rpc.unary<{ raw_block?: Buffer }>("blocks", "GetBlock", {
      block_hash: hash.block_hash,
    });
  } catch (err) {
    throw toLightningError(err, "getBlock");
  }
  if (!Buffer.isBuffer(block.raw_block) || block.raw_block.length === 0)
    throw lnError("ln.unexpected_response", "getBlock: LND returned no block", { height });
  return block.raw_block;
}

/**
 * @throws (from its methods) GatewayError `ln.*` when LND fails, `chain.malformed_block`
 */
export function createLndChain(ctx: LndContext): ChainBlocksPort {
  return {
    tipHeight: () => getHeight(ctx),
    async blockAt(height) {
      return summarizeBlock(new Uint8Array(await rawBlockAt(ctx, height)));
    },
  };
}
