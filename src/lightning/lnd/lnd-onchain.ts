/** The liquidity flows' OnchainWalletPort (src/liquidity/ports.ts) over LND's onchain wallet. */
import type { OnchainWalletPort } from "../../liquidity/ports.js";
import { createChainAddress } from "./create-chain-address.js";
import { getChainTransactions } from "./get-chain-transactions.js";
import type { LndContext } from "./context.js";
import { sendToChainAddress } from "./send-to-chain-address.js";

/** @throws (from its methods) GatewayError `ln.*` */
export function createLndOnchainWallet(ctx: LndContext): OnchainWalletPort {
  return {
    send: (req) => sendToChainAddress(ctx, req),
    transactions: () => getChainTransactions(ctx),
    newAddress: () => createChainAddress(ctx),
  };
}
