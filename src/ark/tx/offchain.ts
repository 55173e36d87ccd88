/**
 * Builds an offchain Ark spend (arkd's SubmitTx payload): one checkpoint tx per spent VTXO and
 * the ark tx spending all checkpoint outputs, byte-for-byte as arkd rebuilds them
 * (pkg/ark-lib/offchain): v3, per-input nSequence 0xFFFFFFFE only for CLTV leaves, nLockTime =
 * the (max) CLTV, checkpoint output = P2TR(NUMS, [checkpoint_tapscript, spending leaf]), a P2A
 * anchor last, Σ outputs = Σ inputs.
 */
import type { Transaction } from "@scure/btc-signer";
import { equalBytes } from "./bytes.js";
import {
  NUMS_XONLY,
  TAPROOT_LEAF_VERSION,
  p2trScript,
  parseControlBlock,
  tapBranchHash,
  tapLeafHash,
  taprootOutputKey,
  type ControlBlock,
} from "./crypto.js";
import { arkTxError } from "./errors.js";
import { LOCKTIME_THRESHOLD, readLeaf } from "./leaf.js";
import { P2A_SCRIPT, validateOutputs, type OutputPolicy, type TxOutputSpec } from "./outputs.js";
import {
  CONDITION_KEY,
  TAPTREE_KEY,
  arkField,
  encodeConditionField,
  encodeTaptreeField,
} from "./psbt-fields.js";
import { newArkTransaction } from "./transaction.js";
import { isTxidHex } from "../../lib/hex.js";

/** nSequence of an input whose leaf has a CLTV (enables nLockTime). */
export const CLTV_SEQUENCE = 0xfffffffe;
/** nSequence of every other offchain input. */
export const FINAL_SEQUENCE = 0xffffffff;

/** A VTXO to spend through one of its tapscript leaves. */
export interface VtxoInput {
  /** Outpoint txid, 64 hex chars in display order (as arkd and the indexer print it). */
  readonly txid: string;
  readonly vout: number;
  readonly amountSats: bigint;
  /** The tapscript leaf the VTXO is spent with (without leaf version). */
  readonly leafScript: Uint8Array;
  /** Control block of `leafScript` in the VTXO's tap tree. */
  readonly controlBlock: Uint8Array;
  /** Every leaf of the VTXO's tap tree, in taptree-field order (it must contain `leafScript`). */
  readonly tapTree: readonly Uint8Array[];
  /** The VTXO's P2TR script; when given it must match the one the control block commits to. */
  readonly pkScript?: Uint8Array;
  /** Extra witness items for a condition leaf (e.g. `[preimage]`), set on both txs' inputs. */
  readonly condition?: readonly Uint8Array[];
}

export interface OffchainTxParams {
  readonly inputs: readonly VtxoInput[];
  readonly outputs: readonly TxOutputSpec[];
  /** GetInfo.checkpoint_tapscript (`<delay> CSV DROP <server> CHECKSIG`). */
  readonly checkpointTapscript: Uint8Array;
  readonly policy: OutputPolicy;
}

export interface OffchainTxs {
  readonly arkTx: Transaction;
  /** One per input, in input order. */
  readonly checkpoints: Transaction[];
}

/** A validated input with the values derived from it. */
export interface PreparedInput {
  readonly input: VtxoInput;
  readonly cb: ControlBlock;
  readonly leafHash: Uint8Array;
  readonly pkScript: Uint8Array;
  readonly cltv: bigint | undefined;
}

/**
 * Builds the checkpoint txs and the ark tx for spending `inputs` to `outputs`.
 * @returns unsigned txs carrying witnessUtxo, tapLeafScript, taptree (and condition) on every input
 * @throws GatewayError `arktx.no_inputs`, `arktx.invalid_txid`, `arktx.invalid_vout`,
 *   `arktx.invalid_amount`, `arktx.duplicate_input`, `arktx.invalid_script`,
 *   `arktx.invalid_control_block`, `arktx.leaf_not_in_taptree`, `arktx.script_mismatch`,
 *   `arktx.mixed_locktime_units`, `arktx.invalid_checkpoint_tapscript`,
 *   `arktx.amount_mismatch` and every output error of {@link validateOutputs}
 */
export function buildOffchainTxs(params: OffchainTxParams): OffchainTxs {
  const { inputs, outputs, checkpointTapscript, policy } = params;
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw arkTxError("arktx.no_inputs", "an Ark transaction needs at least one input");
  const cpInfo =
    checkpointTapscript instanceof Uint8Array && checkpointTapscript.length > 0
      ? readLeaf(checkpointTapscript)
      : undefined;
  if (cpInfo === undefined || cpInfo.csv === undefined || cpInfo.pubkeys.length === 0)
    throw arkTxError(
      "arktx.invalid_checkpoint_tapscript",
      "checkpoint tapscript must be a CSV multisig (GetInfo.checkpoint_tapscript)",
    );
  const prepared = inputs.map((input, index) => prepareVtxoInput(input, index));
  assertUniqueOutpoints(prepared);
  const totalOut = validateOutputs(outputs, policy);
  let totalIn = 0n;
  for (const p of prepared) totalIn += p.input.amountSats;
  if (totalIn !== totalOut)
    throw arkTxError("arktx.amount_mismatch", `inputs sum to ${totalIn} sats, outputs to ${totalOut}`, {
      inputSats: totalIn.toString(),
      outputSats: totalOut.toString(),
    });
  const lockTime = maxLocktime(prepared);

  const cpLeafHash = tapLeafHash(checkpointTapscript);
  const cpTaptree = (leaf: Uint8Array) => encodeTaptreeField([checkpointTapscript, leaf]);
  const arkTx = newArkTransaction(3, Number(lockTime));
  const checkpoints: Transaction[] = [];
  for (const p of prepared) {
    const { input } = p;
    const condition = input.condition === undefined ? undefined : encodeConditionField(input.condition);
    const checkpoint = newArkTransaction(3, Number(p.cltv ?? 0n));
    checkpoint.addInput({
      txid: input.txid,
      index: input.vout,
      sequence: p.cltv === undefined ? FINAL_SEQUENCE : CLTV_SEQUENCE,
      witnessUtxo: { script: p.pkScript, amount: input.amountSats },
      tapLeafScript: [[p.cb, withLeafVersion(input.leafScript)]],
      unknown: unknownFields(encodeTaptreeField(input.tapTree), condition),
    });
    // The checkpoint output commits to [checkpoint exit, spending leaf] (btcd tree of two leaves).
    const root = tapBranchHash(cpLeafHash, p.leafHash);
    const out = taprootOutputKey(NUMS_XONLY, root);
    const cpPkScript = p2trScript(out.key);
    checkpoint.addOutput({ script: cpPkScript, amount: input.amountSats });
    checkpoint.addOutput({ script: P2A_SCRIPT, amount: 0n });
    checkpoints.push(checkpoint);

    const cpControlBlock: ControlBlock = {
      version: TAPROOT_LEAF_VERSION | out.parity,
      internalKey: NUMS_XONLY,
      merklePath: [cpLeafHash],
    };
    arkTx.addInput({
      txid: checkpoint.id,
      index: 0,
      sequence: p.cltv === undefined ? FINAL_SEQUENCE : CLTV_SEQUENCE,
      witnessUtxo: { script: cpPkScript, amount: input.amountSats },
      tapLeafScript: [[cpControlBlock, withLeafVersion(input.leafScript)]],
      unknown: unknownFields(cpTaptree(input.leafScript), condition),
    });
  }
  for (const o of outputs) arkTx.addOutput({ script: o.pkScript, amount: o.amountSats });
  arkTx.addOutput({ script: P2A_SCRIPT, amount: 0n });
  return { arkTx, checkpoints };
}

function unknownFields(taptree: Uint8Array, condition: Uint8Array | undefined) {
  const fields = [arkField(TAPTREE_KEY, taptree)];
  if (condition !== undefined) fields.push(arkField(CONDITION_KEY, condition));
  return fields;
}

export function withLeafVersion(script: Uint8Array): Uint8Array {
  const out = new Uint8Array(script.length + 1);
  out.set(script, 0);
  out[script.length] = TAPROOT_LEAF_VERSION;
  return out;
}

/** Validates one VTXO input and derives its leaf hash, pkScript and CLTV (shared with intent proofs). */
export function prepareVtxoInput(input: VtxoInput, index: number): PreparedInput {
  const details = { index };
  if (!isTxidHex(input?.txid))
    throw arkTxError("arktx.invalid_txid", `input ${index}: txid must be 64 hex chars`, details);
  if (!Number.isInteger(input.vout) || input.vout < 0 || input.vout > 0xffffffff)
    throw arkTxError("arktx.invalid_vout", `input ${index}: vout must be a uint32`, details);
  if (
    typeof input.amountSats !== "bigint" ||
    input.amountSats <= 0n ||
    input.amountSats > 2_100_000_000_000_000n
  )
    throw arkTxError("arktx.invalid_amount", `input ${index}: amount must be a positive bigint`, details);
  const leaf = input.leafScript;
  const info =
    leaf instanceof Uint8Array && leaf.length > 0 && leaf.length <= 10_000 ? readLeaf(leaf) : undefined;
  if (info === undefined)
    throw arkTxError("arktx.invalid_script", `input ${index}: leaf script does not parse`, details);
  if (
    !Array.isArray(input.tapTree) ||
    !input.tapTree.some((l) => l instanceof Uint8Array && equalBytes(l, leaf))
  )
    throw arkTxError("arktx.leaf_not_in_taptree", `input ${index}: leaf is not in the taptree`, details);
  const cb = input.controlBlock instanceof Uint8Array ? parseControlBlock(input.controlBlock) : undefined;
  if (cb === undefined)
    throw arkTxError("arktx.invalid_control_block", `input ${index}: malformed control block`, details);
  const leafHash = tapLeafHash(leaf);
  let root = leafHash;
  for (const e of cb.merklePath) root = tapBranchHash(root, e);
  let out: { key: Uint8Array; parity: 0 | 1 };
  try {
    out = taprootOutputKey(cb.internalKey, root);
  } catch (err) {
    throw arkTxError("arktx.invalid_control_block", `input ${index}: invalid internal key`, details, err);
  }
  if ((cb.version & 1) !== out.parity)
    throw arkTxError("arktx.invalid_control_block", `input ${index}: control block parity is wrong`, details);
  const pkScript = p2trScript(out.key);
  if (input.pkScript !== undefined && !equalBytes(input.pkScript, pkScript))
    throw arkTxError(
      "arktx.script_mismatch",
      `input ${index}: pkScript does not match the control block`,
      details,
    );
  if (
    input.condition !== undefined &&
    (!Array.isArray(input.condition) || !input.condition.every((c) => c instanceof Uint8Array))
  )
    throw arkTxError(
      "arktx.invalid_condition_field",
      `input ${index}: condition must be a list of byte arrays`,
      details,
    );
  if (info.cltv !== undefined && (info.cltv <= 0n || info.cltv > 0xffffffffn))
    throw arkTxError("arktx.invalid_script", `input ${index}: CLTV locktime out of range`, details);
  return { input, cb, leafHash, pkScript, cltv: info.cltv };
}

export function assertUniqueOutpoints(prepared: readonly PreparedInput[]): void {
  const seen = new Set<string>();
  prepared.forEach((p, index) => {
    const key = `${p.input.txid.toLowerCase()}:${p.input.vout}`;
    if (seen.has(key))
      throw arkTxError("arktx.duplicate_input", `input ${index}: ${key} is spent twice`, { index });
    seen.add(key);
  });
}

export function maxLocktime(prepared: readonly PreparedInput[]): bigint {
  let lockTime = 0n;
  for (const p of prepared) {
    if (p.cltv === undefined) continue;
    if (lockTime !== 0n && lockTime >= LOCKTIME_THRESHOLD !== p.cltv >= LOCKTIME_THRESHOLD)
      throw arkTxError("arktx.mixed_locktime_units", "inputs mix block-height and unix-time locktimes");
    if (p.cltv > lockTime) lockTime = p.cltv;
  }
  return lockTime;
}
