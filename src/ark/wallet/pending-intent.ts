/**
 * The intent proof for GetPendingTx (type "get-pending-tx"), built from a recorded spend alone:
 * each unsigned checkpoint PSBT carries everything an intent input needs (outpoint, amount,
 * script, spending leaf + control block, taptree and condition fields). Signed with the key that
 * signed the spend, SIGHASH_ALL, expire_at 0 as @arkade-os/sdk sends it.
 */
import { TaprootControlBlock } from "@scure/btc-signer";
import type { IntentProof as WireIntentProof } from "../client/index.js";
import { toHex } from "../../lib/bytes.js";
import {
  buildIntentProof,
  getCondition,
  getTaptree,
  parsePsbt,
  psbtBase64,
  signIntentProof,
  type SchnorrSigner,
  type VtxoInput,
} from "../tx/index.js";
import { walletError } from "./errors.js";

/**
 * The VTXO spent by a checkpoint tx, as an offchain/intent input.
 * @param checkpoint base64 PSBT of an (unsigned) checkpoint built by the tx core
 * @throws GatewayError `wallet.spend_failed` when the PSBT lacks a field the tx core always writes
 */
export function checkpointSpentInput(checkpoint: string): VtxoInput {
  const tx = parsePsbt(checkpoint);
  const input = tx.getInput(0);
  const leaf = input.tapLeafScript?.[0];
  const tapTree = getTaptree(tx, 0);
  if (
    input.txid === undefined ||
    input.index === undefined ||
    input.witnessUtxo === undefined ||
    leaf === undefined ||
    tapTree === undefined
  )
    throw walletError("wallet.spend_failed", "recorded checkpoint lacks its input fields", { txid: tx.id });
  const [cb, scriptWithVersion] = leaf;
  const condition = getCondition(tx, 0);
  return {
    txid: toHex(input.txid),
    vout: input.index,
    amountSats: input.witnessUtxo.amount,
    leafScript: scriptWithVersion.subarray(0, scriptWithVersion.length - 1),
    controlBlock: TaprootControlBlock.encode(cb),
    tapTree,
    pkScript: input.witnessUtxo.script,
    ...(condition === undefined ? {} : { condition }),
  };
}

/**
 * A signed "get-pending-tx" intent proving ownership of a spend's inputs.
 * @param checkpoints the spend's recorded checkpoints (base64)
 * @param signer the key in every input's leaf
 * @throws GatewayError from the tx core (`arktx.*`) or `wallet.spend_failed`
 */
export function getPendingTxIntent(checkpoints: readonly string[], signer: SchnorrSigner): WireIntentProof {
  const inputs = checkpoints.map(checkpointSpentInput);
  const intent = buildIntentProof({ message: { type: "get-pending-tx", expireAt: 0 }, inputs });
  signIntentProof(intent.proof, signer);
  return { proof: psbtBase64(intent.proof), message: intent.message };
}
