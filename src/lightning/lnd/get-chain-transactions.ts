/**
 * LND's wallet transactions through ln-service `getChainTransactions` (LND GetTransactions): id,
 * label, confirmations, the fee LND paid, and the raw transaction (to find an output's index).
 */
import { lnError } from "../errors.js";
import type { LndContext } from "./ln-service.js";
import { toLightningError } from "./lnd-error.js";

export interface ChainTransaction {
  readonly txid: string;
  readonly label: string | undefined;
  readonly confirmations: number;
  /** The chain fee LND paid (its own sends), in sats. */
  readonly feeSats: bigint;
  /** Raw transaction hex. */
  readonly rawHex: string | undefined;
}

interface LnChainTx {
  id: string;
  description?: string;
  confirmation_count?: number;
  fee?: number;
  transaction?: string;
}

interface LnGetChainTransactions {
  getChainTransactions(args: { lnd: unknown }): Promise<{ transactions: LnChainTx[] }>;
}

/**
 * @throws GatewayError `ln.unavailable`, `ln.permission_denied`, `ln.unexpected_response`, `ln.unexpected`
 */
export async function getChainTransactions(ctx: LndContext): Promise<ChainTransaction[]> {
  const ln = ctx.ln as unknown as LnGetChainTransactions;
  let res;
  try {
    res = await ln.getChainTransactions({ lnd: ctx.lnd });
  } catch (err) {
    throw toLightningError(err, "getChainTransactions");
  }
  if (!Array.isArray(res.transactions))
    throw lnError("ln.unexpected_response", "getChainTransactions: no transaction list");
  return res.transactions.map((t) => ({
    txid: t.id,
    label: t.description === undefined || t.description === "" ? undefined : t.description,
    confirmations: t.confirmation_count ?? 0,
    feeSats: BigInt(t.fee ?? 0),
    rawHex: t.transaction,
  }));
}
