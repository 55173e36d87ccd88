/**
 * Intent proofs (BIP-322-like ownership proofs arkd requires for RegisterIntent, DeleteIntent,
 * EstimateIntentFee, GetIntent and GetPendingTx), laid out as arkd's pkg/ark-lib/intent and
 * @arkade-os/sdk build them:
 * - toSpend (v0): input `000…0:0xffffffff`, nSequence 0, scriptSig `OP_0 PUSH32
 *   taggedHash("ark-intent-proof-message", message)`, one 0-value output paying the first VTXO's script
 * - toSign PSBT (v2): input 0 spends toSpend:0 (the first VTXO's leaf repeated, without the
 *   Ark fields), inputs 1..n are the VTXOs, SIGHASH_ALL on every input; outputs are the requested
 *   ones or a single empty OP_RETURN
 * arkd re-encodes the decoded JSON message before verifying, so the message must be exactly Go's
 * `json.Marshal` of its struct: field order below, no spaces.
 */
import { SigHash, type Transaction } from "@scure/btc-signer";
import { EMPTY, concat } from "./bytes.js";
import { taggedHash, type SchnorrSigner } from "./crypto.js";
import { arkTxError } from "./errors.js";
import { readLeaf } from "./leaf.js";
import {
  CLTV_SEQUENCE,
  FINAL_SEQUENCE,
  assertUniqueOutpoints,
  maxLocktime,
  prepareVtxoInput,
  withLeafVersion,
  type VtxoInput,
} from "./offchain.js";
import type { TxOutputSpec } from "./outputs.js";
import {
  CONDITION_KEY,
  TAPTREE_KEY,
  arkField,
  encodeConditionField,
  encodeTaptreeField,
} from "./psbt-fields.js";
import { signTapscriptInputs } from "./signing.js";
import { newArkTransaction } from "./transaction.js";
import { isCompressedPubkeyHex } from "../../lib/hex.js";

export const INTENT_MESSAGE_TAG = "ark-intent-proof-message";
/** Global PSBT key type under which the message can be embedded in the proof (opt-in, see buildIntentProof). */
export const INTENT_MESSAGE_GLOBAL_KEY_TYPE = 0x09;

export type IntentMessage =
  | {
      readonly type: "register" | "estimate-intent-fee";
      /** Indexes of proof outputs that are onchain (the rest become VTXOs). */
      readonly onchainOutputIndexes: readonly number[];
      /** Unix seconds; 0 = no lower bound. */
      readonly validAt: number;
      /** Unix seconds; 0 = never expires. */
      readonly expireAt: number;
      /** 33-byte compressed hex keys of the tree cosigners. */
      readonly cosignersPublicKeys: readonly string[];
    }
  | {
      readonly type: "delete" | "get-pending-tx" | "get-intent";
      readonly expireAt: number;
    };

function assertTime(v: unknown, field: string): asserts v is number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    throw arkTxError(
      "arktx.invalid_intent_message",
      `${field} must be a non-negative integer (unix seconds)`,
      { field },
    );
}

/**
 * Serializes an intent message exactly as arkd (Go `json.Marshal`) does.
 * @throws GatewayError `arktx.invalid_intent_message`
 */
export function encodeIntentMessage(m: IntentMessage): string {
  switch (m?.type) {
    case "register":
    case "estimate-intent-fee": {
      assertTime(m.validAt, "validAt");
      assertTime(m.expireAt, "expireAt");
      if (
        !Array.isArray(m.onchainOutputIndexes) ||
        !m.onchainOutputIndexes.every((i) => Number.isSafeInteger(i) && i >= 0)
      )
        throw arkTxError(
          "arktx.invalid_intent_message",
          "onchainOutputIndexes must be non-negative integers",
        );
      if (!Array.isArray(m.cosignersPublicKeys) || !m.cosignersPublicKeys.every(isCompressedPubkeyHex))
        throw arkTxError(
          "arktx.invalid_intent_message",
          "cosignersPublicKeys must be 33-byte compressed hex keys",
        );
      return JSON.stringify({
        type: m.type,
        onchain_output_indexes: m.onchainOutputIndexes,
        valid_at: m.validAt,
        expire_at: m.expireAt,
        cosigners_public_keys: m.cosignersPublicKeys,
      });
    }
    case "delete":
    case "get-pending-tx":
    case "get-intent":
      assertTime(m.expireAt, "expireAt");
      return JSON.stringify({ type: m.type, expire_at: m.expireAt });
    default:
      throw arkTxError(
        "arktx.invalid_intent_message",
        `unknown intent message type ${String((m as { type?: unknown })?.type)}`,
      );
  }
}

/** `taggedHash("ark-intent-proof-message", utf8(message))` */
export function intentMessageHash(message: string): Uint8Array {
  return taggedHash(INTENT_MESSAGE_TAG, new TextEncoder().encode(message));
}

/** The BIP-322 "toSpend" tx committing to the message, paying `pkScript`. */
export function buildIntentToSpend(message: string, pkScript: Uint8Array): Transaction {
  const tx = newArkTransaction(0, 0);
  tx.addInput({ txid: new Uint8Array(32), index: 0xffffffff, sequence: 0 });
  tx.addOutput({ script: pkScript, amount: 0n });
  // a final scriptSig freezes the outputs, so it goes in last
  tx.updateInput(0, { finalScriptSig: concat(Uint8Array.of(0x00, 0x20), intentMessageHash(message)) });
  return tx;
}

/** A VTXO whose ownership the proof shows; `sequence` defaults from its leaf (CSV value, 0xFFFFFFFE for CLTV, else final). */
export interface IntentInput extends VtxoInput {
  readonly sequence?: number;
}

export interface IntentProof {
  /** The toSign PSBT to sign and send as `intent.proof` (base64). */
  readonly proof: Transaction;
  readonly toSpend: Transaction;
  /** The exact message string to send as `intent.message`. */
  readonly message: string;
}

/**
 * Builds an unsigned intent proof.
 * @param p.embedMessage also store the message under global key type 0x09 (off by default:
 *   arkd v0.9.15 and @arkade-os/sdk 0.3.13 carry the message only in `intent.message`)
 * @throws GatewayError `arktx.no_inputs`, `arktx.invalid_intent_message`, the input errors of
 *   buildOffchainTxs, `arktx.invalid_amount`/`arktx.invalid_script` for outputs
 */
export function buildIntentProof(p: {
  readonly message: IntentMessage | string;
  readonly inputs: readonly IntentInput[];
  readonly outputs?: readonly TxOutputSpec[];
  readonly embedMessage?: boolean;
}): IntentProof {
  const message = typeof p.message === "string" ? p.message : encodeIntentMessage(p.message);
  if (typeof message !== "string" || message.length === 0)
    throw arkTxError("arktx.invalid_intent_message", "message must be a non-empty string");
  if (!Array.isArray(p.inputs) || p.inputs.length === 0)
    throw arkTxError("arktx.no_inputs", "an intent proof needs at least one input");
  const prepared = p.inputs.map((input, index) => prepareVtxoInput(input, index));
  assertUniqueOutpoints(prepared);
  const first = prepared[0] as (typeof prepared)[number];
  const toSpend = buildIntentToSpend(message, first.pkScript);
  const proof = newArkTransaction(2, Number(maxLocktime(prepared)));
  const rows = prepared.map((pr, i) => {
    const input = p.inputs[i] as IntentInput;
    const unknown = [arkField(TAPTREE_KEY, encodeTaptreeField(input.tapTree))];
    if (input.condition !== undefined)
      unknown.push(arkField(CONDITION_KEY, encodeConditionField(input.condition)));
    return {
      sequence: sequenceFor(input, pr.cltv, i),
      tapLeafScript: [[pr.cb, withLeafVersion(input.leafScript)]] as [typeof pr.cb, Uint8Array][],
      unknown,
      sighashType: SigHash.ALL,
    };
  });
  const row0 = rows[0] as (typeof rows)[number];
  // Input 0 repeats the first VTXO's leaf but not its Ark fields: arkd copies input 1's fields
  // onto it when verifying, and the SDK leaves them off.
  const { unknown: _unknown, ...row0Fields } = row0;
  proof.addInput({
    ...row0Fields,
    txid: toSpend.id,
    index: 0,
    witnessUtxo: { script: first.pkScript, amount: 0n },
  });
  prepared.forEach((pr, i) => {
    proof.addInput({
      ...(rows[i] as (typeof rows)[number]),
      txid: pr.input.txid,
      index: pr.input.vout,
      witnessUtxo: { script: pr.pkScript, amount: pr.input.amountSats },
    });
  });
  const outputs = p.outputs ?? [];
  if (outputs.length === 0) proof.addOutput({ script: Uint8Array.of(0x6a), amount: 0n });
  outputs.forEach((o, i) => {
    if (typeof o?.amountSats !== "bigint" || o.amountSats < 0n)
      throw arkTxError("arktx.invalid_amount", `output ${i}: amount must be a bigint ≥ 0`, { index: i });
    if (!(o.pkScript instanceof Uint8Array) || o.pkScript.length === 0)
      throw arkTxError("arktx.invalid_script", `output ${i}: pkScript must be non-empty bytes`, { index: i });
    proof.addOutput({ script: o.pkScript, amount: o.amountSats });
  });
  if (p.embedMessage === true) {
    // btc-signer keeps global unknown rows in "ignore" mode but types `global` as private.
    const g = (
      proof as unknown as { global: { unknown?: [{ type: number; key: Uint8Array }, Uint8Array][] } }
    ).global;
    g.unknown = [[{ type: INTENT_MESSAGE_GLOBAL_KEY_TYPE, key: EMPTY }, new TextEncoder().encode(message)]];
  }
  return { proof, toSpend, message };
}

function sequenceFor(input: IntentInput, cltv: bigint | undefined, index: number): number {
  if (input.sequence !== undefined) {
    if (!Number.isInteger(input.sequence) || input.sequence < 0 || input.sequence > 0xffffffff)
      throw arkTxError("arktx.invalid_vout", `input ${index}: sequence must be a uint32`, { index });
    return input.sequence;
  }
  if (cltv !== undefined) return CLTV_SEQUENCE;
  const csv = readLeaf(input.leafScript)?.csv;
  return csv !== undefined && csv > 0n && csv <= 0xffffffffn ? Number(csv) : FINAL_SEQUENCE;
}

/**
 * Signs every proof input whose leaf contains the key, with SIGHASH_ALL.
 * @returns the input indexes signed (input 0 included)
 */
export function signIntentProof(
  proof: Transaction,
  key: Uint8Array | SchnorrSigner,
  auxRand?: Uint8Array,
): number[] {
  return signTapscriptInputs(proof, key, {
    sighashType: SigHash.ALL,
    ...(auxRand === undefined ? {} : { auxRand }),
  });
}

/** Σ inputs − Σ outputs of a proof (what the CEL intent fees must be covered by). */
export function intentProofFee(proof: Transaction): bigint {
  let sum = 0n;
  for (let i = 0; i < proof.inputsLength; i++) {
    const w = proof.getInput(i).witnessUtxo;
    if (w === undefined) throw arkTxError("arktx.missing_witness_utxo", `input ${i} has no witnessUtxo`);
    sum += w.amount;
  }
  for (let i = 0; i < proof.outputsLength; i++) sum -= proof.getOutput(i).amount ?? 0n;
  return sum;
}
