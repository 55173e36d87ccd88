/**
 * Sends onchain from LND's wallet (lightning SendCoins), with a label so a send whose answer was
 * lost can be found again in `getChainTransactions`.
 */
import { lnError } from "../errors.js";
import type { LndContext } from "./context.js";
import { toLightningError } from "./lnd-error.js";
import { isLowerHex32 } from "../../lib/hex.js";

/** LND picks the fee rate for confirmation within this many blocks unless one is given. */
const DEFAULT_CONF_TARGET = 6;

/**
 * @param req.amountSats exact amount paid to `address` (LND adds its chain fee on top)
 * @param req.label the transaction label (LND ≥ 0.13)
 * @param req.feeRate sat/vB (whole, ≥ 1); LND's estimate for 6 blocks when absent
 * @returns the txid
 * @throws GatewayError `ln.invalid_argument` (amount, fee rate), `ln.unavailable`,
 *   `ln.permission_denied`, `ln.unexpected_response`, `ln.unexpected` (e.g. insufficient funds,
 *   an address of another network)
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
  if (req.feeRate !== undefined && (!Number.isSafeInteger(req.feeRate) || req.feeRate < 1))
    throw lnError("ln.invalid_argument", "sendToChainAddress: fee rate must be a whole number ≥ 1 sat/vB", {
      feeRate: req.feeRate,
    });
  let res;
  try {
    res = await ctx.rpc.unary<{ txid?: string }>("lightning", "SendCoins", {
      addr: req.address,
      amount: req.amountSats.toString(),
      label: req.label,
      ...(req.feeRate === undefined
        ? { target_conf: DEFAULT_CONF_TARGET }
        : { sat_per_vbyte: String(req.feeRate) }),
    });
  } catch (err) {
    throw toLightningError(err, "sendCoins");
  }
  if (!isLowerHex32(res.txid))
    throw lnError("ln.unexpected_response", "sendCoins: LND returned no txid", {
      value: String(res.txid),
    });
  return res.txid;
}
