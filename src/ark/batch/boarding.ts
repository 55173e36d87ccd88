/**
 * Boarding inputs at batch finalization (arkd v0.9.15, as client-lib's OnBatchFinalization does
 * it): a boarding UTXO needs no forfeit; instead its owner signs its input of the commitment tx
 * through the collaborative leaf (owner + server) and sends the whole PSBT as
 * SubmitSignedForfeitTxs.signed_commitment_tx. arkd checks the signatures against the prevouts
 * of its own commitment tx (VerifyBoardingTapscriptSigs), adds its own and broadcasts.
 */
import { TaprootControlBlock } from "@scure/btc-signer";
import { toHex } from "../tx/bytes.js";
import {
  parsePsbt,
  psbtBase64,
  signTapscriptInput,
  type SchnorrSigner,
  type VtxoInput,
} from "../tx/index.js";
import { withLeafVersion } from "../tx/offchain.js";
import { batchError } from "./errors.js";

/**
 * Signs every boarding input of the commitment tx.
 * @param commitmentTx base64 PSBT of batch_finalization (every input carries its witness UTXO)
 * @param boarding our boarding inputs, each with the collaborative leaf as `leafScript`
 * @returns the PSBT with our tapscript signatures (base64)
 * @throws GatewayError `batch.protocol_violation` when a boarding input is not in the tx or its
 *   prevout differs from ours
 */
export function signBoardingInputs(
  commitmentTx: string,
  boarding: readonly VtxoInput[],
  signer: SchnorrSigner,
): string {
  const tx = parsePsbt(commitmentTx);
  for (const b of boarding) {
    let index = -1;
    for (let i = 0; i < tx.inputsLength; i++) {
      const input = tx.getInput(i);
      if (input.txid !== undefined && toHex(input.txid) === b.txid && input.index === b.vout) index = i;
    }
    if (index < 0)
      throw batchError(
        "batch.protocol_violation",
        `boarding input ${b.txid}:${b.vout} is not in the commitment tx`,
      );
    const prevout = tx.getInput(index).witnessUtxo;
    if (
      prevout === undefined ||
      prevout.amount !== b.amountSats ||
      (b.pkScript !== undefined && toHex(prevout.script) !== toHex(b.pkScript))
    )
      throw batchError("batch.protocol_violation", `boarding input ${b.txid}:${b.vout} has another prevout`);
    tx.updateInput(
      index,
      { tapLeafScript: [[TaprootControlBlock.decode(b.controlBlock), withLeafVersion(b.leafScript)]] },
      true,
    );
    signTapscriptInput(tx, index, signer, { leafScript: b.leafScript });
  }
  return psbtBase64(tx);
}
