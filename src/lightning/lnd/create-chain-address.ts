/** A fresh p2tr onchain address of LND's wallet (lightning NewAddress, TAPROOT_PUBKEY). */
import { lnError } from "../errors.js";
import type { LndContext } from "./context.js";
import { toLightningError } from "./lnd-error.js";

/** @throws GatewayError `ln.*` */
export async function createChainAddress(ctx: LndContext): Promise<string> {
  let res;
  try {
    res = await ctx.rpc.unary<{ address?: string }>("lightning", "NewAddress", { type: "TAPROOT_PUBKEY" });
  } catch (err) {
    throw toLightningError(err, "newAddress");
  }
  if (typeof res.address !== "string" || res.address === "")
    throw lnError("ln.unexpected_response", "newAddress: LND returned no address");
  return res.address;
}
