/** A fresh onchain address of LND's wallet through ln-service `createChainAddress` (p2tr). */
import { lnError } from "../errors.js";
import type { LndContext } from "./ln-service.js";
import { toLightningError } from "./lnd-error.js";

interface LnCreateChainAddress {
  createChainAddress(args: { lnd: unknown; format: "p2tr" | "p2wpkh" }): Promise<{ address: string }>;
}

/** @throws GatewayError `ln.*` */
export async function createChainAddress(ctx: LndContext): Promise<string> {
  const ln = ctx.ln as unknown as LnCreateChainAddress;
  let res;
  try {
    res = await ln.createChainAddress({ lnd: ctx.lnd, format: "p2tr" });
  } catch (err) {
    throw toLightningError(err, "createChainAddress");
  }
  if (typeof res.address !== "string" || res.address === "")
    throw lnError("ln.unexpected_response", "createChainAddress: LND returned no address");
  return res.address;
}
