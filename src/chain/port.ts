/**
 * What the gateway reads from the Bitcoin chain, through its LND node: the tip and the block at a
 * height (header time and txids). Implemented over LND's chain RPCs (src/lightning/lnd);
 * faked in unit tests.
 */
import type { BlockSummary } from "./raw-block.js";

export interface ChainBlocksPort {
  /** Best block height. */
  tipHeight(): Promise<number>;
  /** The block at `height` of the best chain. */
  blockAt(height: number): Promise<BlockSummary>;
}
