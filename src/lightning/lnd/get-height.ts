/**
 * Best block height: GetInfo (lnrpc.Lightning)'s `block_height`.
 */
import type { LndContext } from "./context.js";
import { blockHeightOf, type LndGetInfo } from "./get-info.js";
import { toLightningError } from "./lnd-error.js";

/**
 * @returns the node's best block height
 * @throws GatewayError `ln.unavailable`, `ln.wallet_locked`, `ln.permission_denied`,
 *   `ln.unexpected_response`, `ln.unexpected`
 */
export async function getHeight(ctx: LndContext): Promise<number> {
  let res: Partial<LndGetInfo>;
  try {
    res = await ctx.rpc.unary<Partial<LndGetInfo>>("lightning", "GetInfo", {});
  } catch (err) {
    throw toLightningError(err, "getHeight");
  }
  return blockHeightOf(res, "getHeight");
}
