/**
 * Sends onchain from LND's wallet through ln-service `sendToChainAddress` (LND SendCoins), with a
 * label so a send whose answer was lost can be found again in `getChainTransactions`.
 */
import { lnError } from "../errors.js";
import type { LndContext } from "./ln-service.js";
import { toLightningError } from "./lnd-error.js";
import { isLowerHex32 } from "../../lib/hex.js";

interface LnSendToChainAddress {
  sendToChainAddress(args: {
    lnd: unknown;
    address: string;
    tokens: number;
    description?: string;
    fee_tokens_per_vbyte?: number;
  }): Promise<{ id: string; tokens: number }>;
}

/**
 * @param req.amountSats exact amount paid to `address` (LND adds its chain fee on top)
 * @param req.label the transaction label (LND ≥ 0.13)
 * @returns the txid
 * @throws GatewayError `ln.unavailable`, `ln.permission_denied`, `ln.unexpected_response`,
 *   `ln.unexpected` (e.g. insufficient funds, an address of another network)
 */
export async function sendToChainAddress(
  ctx: LndContext,
  req: {
    readonly address: string;
    readonly amountSats: bigint;
    readonly label: string;
    readonly feeRate?: number;
  },
): Promise<string> {
  if (req.amountSats <= 0n || req.amountSats > BigInt(Number.MAX_SAFE_INTEGER))
    throw lnError("ln.invalid_argument", "sendToChainAddress: amount out of range", {
      amountSats: req.amountSats.toString(),
    });
  const ln = ctx.ln as unknown as LnSendToChainAddress;
  let res;
  try {
    res = await ln.sendToChainAddress({
      lnd: ctx.lnd,
      address: req.address,
      tokens: Number(req.amountSats),
      description: req.label,
      ...(req.feeRate === undefined ? {} : { fee_tokens_per_vbyte: req.feeRate }),
    });
  } catch (err) {
    throw toLightningError(err, "sendToChainAddress");
  }
  if (!isLowerHex32(res.id))
    throw lnError("ln.unexpected_response", "sendToChainAddress: LND returned no txid", {
      value: String(res.id),
    });
  return res.id;
}
