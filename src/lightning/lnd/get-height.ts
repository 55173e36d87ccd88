/**
 * Best block height through ln-service `getHeight` (chainrpc block subscription, falling back to
 * GetInfo).
 */
import { lnError } from "../errors.js";
import type { LndContext } from "./ln-service.js";
import { toLightningError } from "./lnd-error.js";

/**
 * @returns the node's best block height
 * @throws GatewayError `ln.unavailable`, `ln.wallet_locked`, `ln.permission_denied`,
 *   `ln.unexpected_response`, `ln.unexpected`
 */
export async function getHeight(ctx: LndContext): Promise<number> {
  let res;
  try {
    res = await ctx.ln.getHeight({ lnd: ctx.lnd });
  } catch (err) {
    throw toLightningError(err, "getHeight");
  }
  const height = res.current_block_height;
  if (!Number.isSafeInteger(height) || height < 0) {
    throw lnError("ln.unexpected_response", "getHeight: LND returned a malformed block height", {
      value: String(height),
    });
  }
  return height;
}
