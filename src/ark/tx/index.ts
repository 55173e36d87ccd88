/**
 * Offchain Ark transactions, pure (no IO): checkpoint + ark txs, Ark PSBT fields, tapscript
 * signing/verification/merging, the VHTLC spends and intent proofs.
 */
export * from "./errors.js";
export { createSchnorrSigner, type SchnorrSigner } from "./crypto.js";
export {
  P2A_SCRIPT,
  isP2tr,
  isSubdustScript,
  subdustScript,
  validateOutputs,
  type OutputPolicy,
  type TxOutputSpec,
} from "./outputs.js";
export {
  ARK_PSBT_KEY_TYPE,
  CONDITION_KEY,
  TAPTREE_KEY,
  decodeConditionField,
  decodeTaptreeField,
  encodeConditionField,
  encodeTaptreeField,
  getArkField,
  getCondition,
  getTaptree,
  setArkField,
  setCondition,
  setTaptree,
} from "./psbt-fields.js";
export {
  ARK_TX_OPTS,
  Transaction,
  newArkTransaction,
  parsePsbt,
  psbtBase64,
  toArkTransaction,
} from "./transaction.js";
export {
  CLTV_SEQUENCE,
  FINAL_SEQUENCE,
  buildOffchainTxs,
  type OffchainTxParams,
  type OffchainTxs,
  type VtxoInput,
} from "./offchain.js";
export {
  addTapscriptSignatures,
  mergeTapscriptSignatures,
  signTapscriptInput,
  signTapscriptInputs,
  tapscriptSighash,
  toSigner,
  verifyTapscriptSignatures,
  type SignOptions,
  type VerifyOptions,
} from "./signing.js";
export {
  buildVhtlcClaim,
  buildVhtlcCooperativeRefund,
  buildVhtlcRefundWithoutReceiver,
  cosignVhtlcCooperativeRefund,
  extractPreimage,
  type PreimageHash,
  type VhtlcSpendParams,
  type VhtlcSpendScripts,
  type VhtlcVtxo,
} from "./vhtlc-spends.js";
export {
  INTENT_MESSAGE_GLOBAL_KEY_TYPE,
  INTENT_MESSAGE_TAG,
  buildIntentProof,
  buildIntentToSpend,
  encodeIntentMessage,
  intentMessageHash,
  intentProofFee,
  signIntentProof,
  type IntentInput,
  type IntentMessage,
  type IntentProof,
} from "./intent.js";
export {
  ONCHAIN_DUST_SATS,
  buildVhtlcUnilateralSpend,
  preimageFromWitness,
  type OnchainSpendTx,
  type SignedOnchainTx,
  type UnilateralLeaf,
  type UnilateralSpendParams,
} from "./onchain-vhtlc.js";
export {
  finalizeVirtualTx,
  unrollOrder,
  type BroadcastableTx,
  type ChainedTx,
  type VirtualTxKind,
} from "./unroll.js";
