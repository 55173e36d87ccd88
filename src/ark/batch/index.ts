/**
 * Batch participation (arkd v0.9.15): notes, tree reconstruction, MuSig2 co-signing of the VTXO
 * tree, forfeits, intents (pure), and the session runner over the arkd port.
 */
export { BATCH_ERRORS, batchError, type BatchErrorCode } from "./errors.js";
export { NOTE_PREFIX, encodeNote, noteIntentInput, noteLeafScript, parseNote, type ArkNote } from "./note.js";
export { buildTxTree, type TreeNode, type TreeTxEvent, type TxTree } from "./tx-tree.js";
export {
  TreeSigner,
  aggregateTreeKeys,
  checkTreeScripts,
  cosignerKeys,
  sweepTapRoot,
  sweepTapscript,
  treeTxSighash,
} from "./tree-signer.js";
export { buildForfeitTx, connectorOutputs, pairConnectors, segwitScript, type Connector } from "./forfeit.js";
export { batchOutputOf, checkTreeRoot, findLeafOutput, type BatchOutput } from "./batch-output.js";
export {
  deleteIntent,
  estimateFeeIntent,
  estimateJoinFeeIntent,
  inputOutpoints,
  inputTotal,
  intentInputs,
  registerIntent,
  registerJoinIntent,
  type BatchInputs,
  type JoinOutput,
} from "./intents.js";
export { signBoardingInputs } from "./boarding.js";
export {
  checkOnchainOutputs,
  runBatchSession,
  type BatchArkPort,
  type BatchResult,
  type BatchSessionParams,
} from "./session.js";
