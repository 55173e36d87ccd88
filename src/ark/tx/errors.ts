import { errorFactory, type ErrorCatalog } from "../../domain/errors.js";

/**
 * Error catalog of the offchain transaction module (`src/ark/tx`). Every code is `arktx.<reason>`.
 * Bad caller input is a 400; a lock that has not matured yet is a retryable 409.
 */
export const ARK_TX_ERRORS = {
  // inputs
  "arktx.no_inputs": { httpStatus: 400, retryable: false },
  "arktx.invalid_txid": { httpStatus: 400, retryable: false },
  "arktx.invalid_vout": { httpStatus: 400, retryable: false },
  "arktx.invalid_amount": { httpStatus: 400, retryable: false },
  "arktx.duplicate_input": { httpStatus: 400, retryable: false },
  "arktx.invalid_script": { httpStatus: 400, retryable: false },
  "arktx.invalid_control_block": { httpStatus: 400, retryable: false },
  "arktx.leaf_not_in_taptree": { httpStatus: 400, retryable: false },
  "arktx.script_mismatch": { httpStatus: 400, retryable: false },
  "arktx.mixed_locktime_units": { httpStatus: 400, retryable: false },
  "arktx.invalid_checkpoint_tapscript": { httpStatus: 400, retryable: false },
  // outputs
  "arktx.no_outputs": { httpStatus: 400, retryable: false },
  "arktx.amount_mismatch": { httpStatus: 400, retryable: false },
  "arktx.output_below_dust": { httpStatus: 400, retryable: false },
  "arktx.output_not_taproot": { httpStatus: 400, retryable: false },
  "arktx.subdust_not_below_dust": { httpStatus: 400, retryable: false },
  "arktx.op_return_with_value": { httpStatus: 400, retryable: false },
  "arktx.too_many_op_returns": { httpStatus: 400, retryable: false },
  "arktx.output_above_max": { httpStatus: 400, retryable: false },
  "arktx.output_below_min": { httpStatus: 400, retryable: false },
  "arktx.anchor_output": { httpStatus: 400, retryable: false },
  // psbt fields
  "arktx.invalid_taptree_field": { httpStatus: 400, retryable: false },
  "arktx.invalid_condition_field": { httpStatus: 400, retryable: false },
  "arktx.invalid_psbt": { httpStatus: 400, retryable: false },
  // signing
  "arktx.invalid_private_key": { httpStatus: 400, retryable: false },
  "arktx.input_out_of_range": { httpStatus: 400, retryable: false },
  "arktx.missing_leaf_script": { httpStatus: 400, retryable: false },
  "arktx.missing_witness_utxo": { httpStatus: 400, retryable: false },
  "arktx.key_not_in_leaf": { httpStatus: 400, retryable: false },
  "arktx.invalid_signature": { httpStatus: 400, retryable: false },
  "arktx.missing_signature": { httpStatus: 400, retryable: false },
  "arktx.sighash_not_allowed": { httpStatus: 400, retryable: false },
  "arktx.merge_mismatch": { httpStatus: 400, retryable: false },
  // vhtlc spends
  "arktx.invalid_preimage": { httpStatus: 400, retryable: false },
  "arktx.preimage_not_found": { httpStatus: 404, retryable: false },
  "arktx.preimage_mismatch": { httpStatus: 400, retryable: false },
  "arktx.wrong_leaf": { httpStatus: 400, retryable: false },
  "arktx.locktime_not_reached": { httpStatus: 409, retryable: true },
  "arktx.tx_mismatch": { httpStatus: 400, retryable: false },
  // intent proofs
  "arktx.invalid_intent_message": { httpStatus: 400, retryable: false },
} as const satisfies ErrorCatalog;

export type ArkTxErrorCode = keyof typeof ARK_TX_ERRORS;

/** `throw arkTxError("arktx.amount_mismatch", "...", { ... })` */
export const arkTxError = errorFactory(ARK_TX_ERRORS);
