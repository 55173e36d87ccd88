/**
 * LND's wallet transactions (lightning GetTransactions, unconfirmed ones included): id, label,
 * confirmations, the fee LND paid, and the raw transaction (to find an output's index).
 */
import { lnError } from "../errors.js";
import type { LndContext } from "./context.js";
import { toLightningError } from "./lnd-error.js";
import { parseInt64 } from "./chain-wire.js";
import { isHex32 } from "../../lib/hex.js";

export interface ChainTransaction {
  readonly txid: string;
  readonly label: string | undefined;
  readonly confirmations: number;
  /** The chain fee LND paid (its own sends), in sats. */
  readonly feeSats: bigint;
  /** Raw transaction hex. */
  readonly rawHex: string | undefined;
}

/** lnrpc.Transaction, the fields we read. */
interface RpcTransaction {
  tx_hash?: string;
  num_confirmations?: number;
  total_fees?: string;
  raw_tx_hex?: string;
  label?: string;
}

function transactionOf(t: RpcTransaction): ChainTransaction {
  const fee = parseInt64(t.total_fees ?? "0");
  if (!isHex32(t.tx_hash) || fee === undefined)
    throw lnError("ln.unexpected_response", "getTransactions: malformed transaction", {
      txid: String(t.tx_hash),
    });
  const confirmations = t.num_confirmations ?? 0;
  return {
    txid: t.tx_hash,
    label: t.label === undefined || t.label === "" ? undefined : t.label,
    confirmations: Number.isSafeInteger(confirmations) && confirmations > 0 ? confirmations : 0,
    feeSats: fee,
    rawHex: t.raw_tx_hex === undefined || t.raw_tx_hex === "" ? undefined : t.raw_tx_hex,
  };
}

/**
 * @throws GatewayError `ln.unavailable`, `ln.permission_denied`, `ln.unexpected_response`, `ln.unexpected`
 */
export async function getChainTransactions(ctx: LndContext): Promise<ChainTransaction[]> {
  let res;
  try {
    // No heights: from the genesis to the tip, unconfirmed transactions included.
    res = await ctx.rpc.unary<{ transactions?: RpcTransaction[] }>("lightning", "GetTransactions", {});
  } catch (err) {
    throw toLightningError(err, "getTransactions");
  }
  if (!Array.isArray(res.transactions))
    throw lnError("ln.unexpected_response", "getTransactions: no transaction list");
  return res.transactions.map(transactionOf);
}
