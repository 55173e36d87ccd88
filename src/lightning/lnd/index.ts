/** The LND adapter's public surface, for the composition root, the CLI and the e2e tests. */
export { assertSupportedLnd, type SupportedLnd, type SupportCheckOptions } from "./assert-supported-lnd.js";
export { connectLnd, credentialFile, type LndCredentials } from "./connect.js";
export { createLndLightning } from "./lnd-lightning.js";
export type { LndContext } from "./context.js";
export { channelBalance, type ChannelBalance } from "./channel-balance.js";
export { createLndChain } from "./lnd-chain.js";
export { createLndChainSpends } from "./subscribe-to-chain-spend.js";
export { createLndOnchainWallet } from "./lnd-onchain.js";
export {
  getChannelLiquidity,
  getOnchainBalances,
  type ChannelLiquidity,
  type OnchainBalances,
} from "./get-onchain-balances.js";
export { getChainTransactions, type ChainTransaction } from "./get-chain-transactions.js";
