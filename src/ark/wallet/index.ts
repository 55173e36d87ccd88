/**
 * The gateway's own Ark wallet (implements the swap engine's ArkSwapPort): seed and BIP32 keys,
 * VTXO tracking, coin selection, crash-safe offchain spends and VHTLC claim/refund/co-sign.
 */
export {
  ArkWallet,
  DEFAULT_WALLET_OPTIONS,
  type ArkWalletDeps,
  type ArkWalletOptions,
} from "./ark-wallet.js";
export { WALLET_ERRORS, walletError, type WalletErrorCode } from "./errors.js";
export { SEED_FILE_BYTES, loadSeed, loadSeedFile, seedFromHex, type SeedFileOptions } from "./seed.js";
export {
  MAX_KEY_INDEX,
  SWAP_KEY_BRANCH,
  WALLET_KEY_PATH,
  createKeyRing,
  xOnlyFromHex,
  type DerivedKey,
  type KeyRing,
} from "./keys.js";
export { buildWalletScript, type WalletScript } from "./wallet-script.js";
export { selectCoins, type Coin, type Selection, type SelectionPolicy } from "./coin-selection.js";
export { createPgWalletStore } from "./pg-store.js";
export { createPgBatchStore } from "./pg-batch-store.js";
export type { BatchOutputVtxo, BatchReservationStore } from "./batch-store.js";
export type { BatchJoinResult } from "./batch-service.js";
export type {
  CreateSpendResult,
  NewSpendRecord,
  ObservedVtxo,
  SpendKind,
  SpendRecord,
  SpendState,
  WalletStore,
} from "./store.js";
export type { FundRequest } from "./spend-service.js";
export type { WalletLogger } from "./logger.js";
export {
  boardingInput,
  buildBoardingScript,
  taprootAddress,
  type BoardingScript,
} from "./boarding-script.js";
export type { BoardResult, BoardingUtxo, JoinProgress, OffboardResult } from "./liquidity-service.js";
