import type { ArkServerInfo } from "../server-info.js";
import { arkError } from "./errors.js";
import { int64 } from "./longs.js";
import type { ArkFees, DeprecatedSigner } from "./types.js";
import type { WireFeeInfo, WireGetInfoResponse } from "./wire-types.js";
import { isCompressedPubkeyHex } from "../../lib/hex.js";

/** GetInfo in domain form: ArkServerInfo plus the fee programs and deprecated signer keys. */
export interface ArkdInfo extends ArkServerInfo {
  readonly fees: ArkFees | undefined;
  readonly deprecatedSigners: readonly DeprecatedSigner[];
}

function pubkey(value: string, field: string): string {
  if (!isCompressedPubkeyHex(value)) {
    throw arkError("ark.invalid_response", `GetInfo: ${field} is not a 33-byte compressed key`, {
      field,
      value,
    });
  }
  return value.toLowerCase();
}

function nonEmpty(value: string, field: string): string {
  if (value === "") throw arkError("ark.invalid_response", `GetInfo: ${field} is empty`, { field });
  return value;
}

function mapFees(fees: WireFeeInfo | null | undefined): ArkFees | undefined {
  if (fees == null) return undefined;
  const f = fees.intent_fee;
  return {
    intentFee: {
      offchainInput: f?.offchain_input ?? "",
      offchainOutput: f?.offchain_output ?? "",
      onchainInput: f?.onchain_input ?? "",
      onchainOutput: f?.onchain_output ?? "",
    },
    txFeeRate: fees.tx_fee_rate,
  };
}

/**
 * Maps arkd's GetInfoResponse to the domain form, converting every int64 exactly to bigint.
 * @param res the decoded response
 * @returns the server facts
 * @throws GatewayError `ark.invalid_response` on a missing or malformed key, network or integer
 */
export function mapGetInfo(res: WireGetInfoResponse): ArkdInfo {
  return {
    signerPubkey: pubkey(res.signer_pubkey, "signer_pubkey"),
    forfeitPubkey: pubkey(res.forfeit_pubkey, "forfeit_pubkey"),
    forfeitAddress: res.forfeit_address,
    checkpointTapscript: res.checkpoint_tapscript.toLowerCase(),
    network: nonEmpty(res.network, "network"),
    sessionDurationSeconds: int64(res.session_duration, "GetInfo.session_duration"),
    unilateralExitDelay: int64(res.unilateral_exit_delay, "GetInfo.unilateral_exit_delay"),
    boardingExitDelay: int64(res.boarding_exit_delay, "GetInfo.boarding_exit_delay"),
    utxoMinAmountSats: int64(res.utxo_min_amount, "GetInfo.utxo_min_amount"),
    utxoMaxAmountSats: int64(res.utxo_max_amount, "GetInfo.utxo_max_amount"),
    vtxoMinAmountSats: int64(res.vtxo_min_amount, "GetInfo.vtxo_min_amount"),
    vtxoMaxAmountSats: int64(res.vtxo_max_amount, "GetInfo.vtxo_max_amount"),
    dustSats: int64(res.dust, "GetInfo.dust"),
    digest: res.digest,
    version: res.version,
    maxTxWeight: int64(res.max_tx_weight, "GetInfo.max_tx_weight"),
    maxOpReturnOutputs: int64(res.max_op_return_outputs, "GetInfo.max_op_return_outputs"),
    fees: mapFees(res.fees),
    deprecatedSigners: (res.deprecated_signers ?? []).map((s, i) => ({
      pubkey: s.pubkey,
      cutoffDate: int64(s.cutoff_date, `GetInfo.deprecated_signers[${i}].cutoff_date`),
    })),
  };
}
