import { errorFactory, type ErrorCatalog } from "../../domain/errors.js";

const input = { httpStatus: 400, retryable: false } as const;
const rejected = { httpStatus: 422, retryable: false } as const;
const upstream = { httpStatus: 502, retryable: false } as const;

/**
 * Every error `src/ark/scripts` can raise. Codes are stable API: callers and the HTTP layer
 * branch on them, so never rename one; add a new code instead.
 */
export const SCRIPT_ERRORS = {
  // raw script bytes
  "script.invalid_bytes": input,
  "script.truncated_push": input,
  "script.non_minimal_number": input,
  // closures (tapscript leaves)
  "closure.invalid_pubkey_length": input,
  "closure.invalid_pubkey": input,
  "closure.no_pubkeys": input,
  "closure.empty_condition": input,
  "closure.forbidden_condition_opcode": input,
  "closure.op_success": input,
  "closure.unrecognized_script": input,
  "closure.invalid_type": input,
  // timelocks
  "timelock.invalid_type": input,
  "timelock.not_bigint": input,
  "timelock.not_positive": input,
  "timelock.blocks_out_of_range": input,
  "timelock.seconds_below_512": input,
  "timelock.seconds_not_multiple_of_512": input,
  "timelock.seconds_out_of_range": input,
  "timelock.absolute_out_of_range": input,
  "timelock.invalid_sequence": input,
  // taproot tree
  "taptree.no_leaves": input,
  "taptree.invalid_leaf": input,
  "taptree.duplicate_leaf": input,
  "taptree.leaf_index_out_of_range": input,
  "taptree.unknown_leaf": input,
  "taptree.invalid_tweak": input,
  "taptree.invalid_field": input,
  // vhtlc parameters
  "vhtlc.invalid_params": input,
  "vhtlc.invalid_pubkey_length": input,
  "vhtlc.invalid_pubkey": input,
  "vhtlc.duplicate_pubkey": input,
  "vhtlc.invalid_preimage_hash": input,
  "vhtlc.invalid_preimage": input,
  "vhtlc.invalid_payment_hash": input,
  "vhtlc.refund_locktime_not_positive": input,
  "vhtlc.delay_blocks_ambiguous": input,
  // vhtlc against the Ark server's rules (GetInfo)
  "vhtlc.invalid_server_info": upstream,
  "vhtlc.server_key_mismatch": rejected,
  "vhtlc.exit_delay_too_short": rejected,
  "vhtlc.delay_type_mismatch": rejected,
  "vhtlc.refund_locktime_type_mismatch": rejected,
  // ark addresses
  "address.invalid_encoding": input,
  "address.invalid_hrp": input,
  "address.invalid_version": input,
  "address.invalid_length": input,
  "address.invalid_key": input,
  "address.unknown_network": input,
  "address.network_mismatch": input,
} as const satisfies ErrorCatalog;

export type ScriptErrorCode = keyof typeof SCRIPT_ERRORS;

/** Builds a GatewayError from this catalog: `throw scriptError("vhtlc.invalid_pubkey", "...")`. */
export const scriptError = errorFactory(SCRIPT_ERRORS);

/** One problem found while validating, so that all of them can be reported together. */
export interface ScriptIssue {
  readonly code: ScriptErrorCode;
  /** The parameter the problem is about, e.g. `unilateralClaimDelay`. */
  readonly field: string;
  readonly message: string;
}

/** Throws the first issue as a GatewayError (code = its code), carrying every issue in `details`. */
export function throwIssues(issues: readonly ScriptIssue[]): void {
  const first = issues[0];
  if (first === undefined) return;
  throw scriptError(first.code, `${first.field}: ${first.message}`, {
    field: first.field,
    issues: issues.map((i) => ({ ...i })),
  });
}
