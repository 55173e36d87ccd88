/**
 * The @scure/btc-signer `Transaction` configured for Ark: v3 transactions, P2A anchors and
 * unknown PSBT fields (taptree, condition) kept instead of stripped.
 */
import { Transaction } from "@scure/btc-signer";
import { base64 } from "@scure/base";
import { arkTxError } from "./errors.js";

export { Transaction };

/**
 * `disableScriptCheck`: btc-signer re-derives every taproot commitment and lifts every x-only
 * key on each addInput/updateInput (three quarters of build + sign time); the builder has
 * already checked those commitments itself (control block → witnessUtxo), once.
 */
export const ARK_TX_OPTS = {
  disableScriptCheck: true,
  allowUnknownOutputs: true,
  allowUnknownInputs: true,
  allowUnknownVersion: true,
  unknown: "ignore",
} as const;

/** A new empty transaction with Ark options. */
export function newArkTransaction(version: number, lockTime: number): Transaction {
  return new Transaction({ ...ARK_TX_OPTS, version, lockTime });
}

/**
 * Parses a PSBT given as bytes or base64 (as arkd and Boltz's API carry them).
 * @throws GatewayError `arktx.invalid_psbt` when it does not parse
 */
export function parsePsbt(psbt: Uint8Array | string): Transaction {
  try {
    const bytes = typeof psbt === "string" ? base64.decode(psbt) : psbt;
    return Transaction.fromPSBT(bytes, ARK_TX_OPTS);
  } catch (err) {
    throw arkTxError("arktx.invalid_psbt", "PSBT does not parse", undefined, err);
  }
}

/** Base64 PSBT, the encoding arkd's SubmitTx/FinalizeTx take. */
export function psbtBase64(tx: Transaction): string {
  return base64.encode(tx.toPSBT());
}

/**
 * Accepts our Transaction, a Transaction from another copy of btc-signer (e.g. the one inside
 * @arkade-os/sdk), PSBT bytes or base64, and returns our Transaction.
 */
export function toArkTransaction(
  tx: Transaction | { toPSBT(): Uint8Array } | Uint8Array | string,
): Transaction {
  if (tx instanceof Transaction) return tx;
  if (typeof tx === "string" || tx instanceof Uint8Array) return parsePsbt(tx);
  return parsePsbt(tx.toPSBT());
}
