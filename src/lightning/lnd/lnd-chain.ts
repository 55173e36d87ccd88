/**
 * The chain reader (src/chain/port.ts) over LND: the tip through `getHeight`, a block through
 * ln-service `getBlock` (LND's chainrpc GetBlock, LND ≥ 0.16 built with the chainrpc tag, which
 * the gateway already requires) parsed by src/chain/raw-block.ts.
 */
import { hex } from "@scure/base";
import type { ChainBlocksPort } from "../../chain/port.js";
import { summarizeBlock } from "../../chain/raw-block.js";
import type { LndContext } from "./ln-service.js";
import { getHeight } from "./get-height.js";
import { toLightningError } from "./lnd-error.js";

/** The one ln-service call this file adds to those of ln-service.ts. */
interface LnGetBlock {
  getBlock(args: { lnd: unknown; height: number }): Promise<{ block: string }>;
}

/**
 * @throws (from its methods) GatewayError `ln.*` when LND fails, `chain.malformed_block`
 */
export function createLndChain(ctx: LndContext): ChainBlocksPort {
  const ln = ctx.ln as unknown as LnGetBlock;
  return {
    tipHeight: () => getHeight(ctx),
    async blockAt(height) {
      let res;
      try {
        res = await ln.getBlock({ lnd: ctx.lnd, height });
      } catch (err) {
        throw toLightningError(err, "getBlock");
      }
      return summarizeBlock(hex.decode(res.block));
    },
  };
}
