/**
 * The three offchain VHTLC spends the gateway makes or co-signs, and reading a revealed
 * preimage back out of a spend:
 * - claim: claim leaf, `condition = [preimage]` on the ark-tx input and the checkpoint input
 * - refundWithoutReceiver: CLTV leaf (sender + server), once the refund locktime is reached
 * - cooperative refund: refund leaf, 3-of-3 sender + receiver + server
 */
import type { Transaction } from "@scure/btc-signer";
import type { Vhtlc } from "../scripts/index.js";
import { equalBytes, toHex } from "./bytes.js";
import { hash160, sha256 } from "./crypto.js";
import { arkTxError } from "./errors.js";
import { LOCKTIME_THRESHOLD, readLeaf } from "./leaf.js";
import { buildOffchainTxs, type OffchainTxs } from "./offchain.js";
import type { OutputPolicy, TxOutputSpec } from "./outputs.js";
import { getCondition } from "./psbt-fields.js";
import { toArkTransaction } from "./transaction.js";
import { toSigner, signTapscriptInput, verifyTapscriptSignatures, type SchnorrSigner } from "./signing.js";

/** What a spend needs of a VHTLC (src/ark/scripts `Vhtlc` satisfies it). */
export type VhtlcSpendScripts = Pick<
  Vhtlc,
  "claim" | "refund" | "refundWithoutReceiver" | "leaves" | "pkScript" | "controlBlock"
>;

/** The VHTLC VTXO being spent. */
export interface VhtlcVtxo {
  readonly txid: string;
  readonly vout: number;
  readonly amountSats: bigint;
}

export interface VhtlcSpendParams {
  readonly vhtlc: VhtlcSpendScripts;
  readonly vtxo: VhtlcVtxo;
  readonly outputs: readonly TxOutputSpec[];
  readonly checkpointTapscript: Uint8Array;
  readonly policy: OutputPolicy;
}

function spend(p: VhtlcSpendParams, leafScript: Uint8Array, condition?: Uint8Array[]): OffchainTxs {
  return buildOffchainTxs({
    inputs: [
      {
        txid: p.vtxo?.txid,
        vout: p.vtxo?.vout,
        amountSats: p.vtxo?.amountSats,
        leafScript,
        controlBlock: p.vhtlc.controlBlock(leafScript),
        tapTree: p.vhtlc.leaves,
        pkScript: p.vhtlc.pkScript,
        ...(condition === undefined ? {} : { condition }),
      },
    ],
    outputs: p.outputs,
    checkpointTapscript: p.checkpointTapscript,
    policy: p.policy,
  });
}

/**
 * Claim through the claim leaf with the preimage (receiver + server).
 * @param p.preimage 32 bytes whose HASH160 is the VHTLC's condition hash
 * @throws GatewayError `arktx.invalid_preimage`, `arktx.preimage_mismatch`, and the errors of {@link buildOffchainTxs}
 */
export function buildVhtlcClaim(p: VhtlcSpendParams & { readonly preimage: Uint8Array }): OffchainTxs {
  if (!(p.preimage instanceof Uint8Array) || p.preimage.length !== 32)
    throw arkTxError("arktx.invalid_preimage", "preimage must be 32 bytes");
  const h = readLeaf(p.vhtlc.claim)?.hash160;
  if (h === undefined) throw arkTxError("arktx.wrong_leaf", "claim leaf has no HASH160 condition");
  if (!equalBytes(hash160(p.preimage), h))
    throw arkTxError("arktx.preimage_mismatch", "HASH160(preimage) is not the VHTLC's hash");
  return spend(p, p.vhtlc.claim, [p.preimage]);
}

/**
 * Refund to the sender through the CLTV leaf (sender + server).
 * @param p.currentLocktime chain tip height (or median time for a time lock); when given the
 *   refund locktime must have been reached
 * @throws GatewayError `arktx.locktime_not_reached`, `arktx.wrong_leaf`, and the errors of {@link buildOffchainTxs}
 */
export function buildVhtlcRefundWithoutReceiver(
  p: VhtlcSpendParams & { readonly currentLocktime?: bigint },
): OffchainTxs {
  const cltv = readLeaf(p.vhtlc.refundWithoutReceiver)?.cltv;
  if (cltv === undefined) throw arkTxError("arktx.wrong_leaf", "refundWithoutReceiver leaf has no CLTV");
  const now = p.currentLocktime;
  if (now !== undefined) {
    if (typeof now !== "bigint" || now < 0n)
      throw arkTxError("arktx.invalid_amount", "currentLocktime must be a bigint ≥ 0");
    if (now >= LOCKTIME_THRESHOLD !== cltv >= LOCKTIME_THRESHOLD || now < cltv)
      throw arkTxError("arktx.locktime_not_reached", `refund locktime ${cltv} not reached at ${now}`, {
        refundLocktime: cltv.toString(),
        currentLocktime: now.toString(),
      });
  }
  return spend(p, p.vhtlc.refundWithoutReceiver);
}

/** Cooperative refund through the refund leaf (sender + receiver + server, 3-of-3). */
export function buildVhtlcCooperativeRefund(p: VhtlcSpendParams): OffchainTxs {
  return spend(p, p.vhtlc.refund);
}

/**
 * Checks that a counterparty's ark tx and checkpoint are exactly the cooperative refund of this
 * VHTLC to the outputs the ark tx names (or to `expectedOutputs`), that every signature they
 * already carry is valid, then adds our signature to both.
 * @returns our signed copies (the originals are not modified)
 * @throws GatewayError `arktx.tx_mismatch` when either tx is not the expected refund, the
 *   signature errors of {@link verifyTapscriptSignatures}, and the errors of {@link buildOffchainTxs}
 */
export function cosignVhtlcCooperativeRefund(p: {
  readonly vhtlc: VhtlcSpendScripts;
  readonly vtxo: VhtlcVtxo;
  readonly checkpointTapscript: Uint8Array;
  readonly policy: OutputPolicy;
  readonly arkTx: Transaction | Uint8Array | string;
  readonly checkpoint: Transaction | Uint8Array | string;
  readonly key: Uint8Array | SchnorrSigner;
  readonly expectedOutputs?: readonly TxOutputSpec[];
  /** Keys (x-only) whose signatures must already be on the ark tx, e.g. the sender's. */
  readonly requiredSigners?: readonly Uint8Array[];
}): { arkTx: Transaction; checkpoint: Transaction } {
  const arkTx = toArkTransaction(p.arkTx).clone();
  const checkpoint = toArkTransaction(p.checkpoint).clone();
  const outputs: TxOutputSpec[] = [];
  for (let i = 0; i < arkTx.outputsLength - 1; i++) {
    const o = arkTx.getOutput(i);
    if (o.script === undefined || o.amount === undefined)
      throw arkTxError("arktx.tx_mismatch", `ark tx output ${i} is incomplete`);
    outputs.push({ amountSats: o.amount, pkScript: o.script });
  }
  const expected = buildVhtlcCooperativeRefund({ ...p, outputs: p.expectedOutputs ?? outputs });
  const cp = expected.checkpoints[0] as Transaction;
  if (arkTx.id !== expected.arkTx.id || checkpoint.id !== cp.id)
    throw arkTxError("arktx.tx_mismatch", "transactions are not the expected cooperative refund", {
      arkTxid: arkTx.id,
      expectedArkTxid: expected.arkTx.id,
      checkpointTxid: checkpoint.id,
      expectedCheckpointTxid: cp.id,
    });
  // The PSBT fields we sign with must be ours, not the counterparty's.
  assertSameLeaf(arkTx, expected.arkTx);
  assertSameLeaf(checkpoint, cp);
  verifyTapscriptSignatures(arkTx, 0, { requiredSigners: p.requiredSigners ?? [] });
  verifyTapscriptSignatures(checkpoint, 0);
  const signer = toSigner(p.key);
  signTapscriptInput(arkTx, 0, signer, { leafScript: p.vhtlc.refund });
  signTapscriptInput(checkpoint, 0, signer, { leafScript: p.vhtlc.refund });
  return { arkTx, checkpoint };
}

function assertSameLeaf(got: Transaction, want: Transaction): void {
  const a = got.getInput(0);
  const b = want.getInput(0);
  const same =
    a.witnessUtxo !== undefined &&
    b.witnessUtxo !== undefined &&
    a.witnessUtxo.amount === b.witnessUtxo.amount &&
    equalBytes(a.witnessUtxo.script, b.witnessUtxo.script) &&
    a.tapLeafScript?.length === 1 &&
    equalBytes(
      (a.tapLeafScript[0] as [unknown, Uint8Array])[1],
      (b.tapLeafScript?.[0] as [unknown, Uint8Array])[1],
    );
  if (!same)
    throw arkTxError("arktx.tx_mismatch", "input witnessUtxo or leaf differs from the expected refund");
}

/** The hash a revealed preimage must match: Lightning payment hash or the VHTLC's HASH160. */
export interface PreimageHash {
  /** SHA256(preimage), the Lightning payment hash (32 bytes). */
  readonly sha256?: Uint8Array;
  /** RIPEMD160(SHA256(preimage)) (20 bytes). */
  readonly hash160?: Uint8Array;
}

/**
 * Reads the preimage revealed by a VHTLC claim: the first item of an input's `condition` field.
 * @param tx the spending ark tx or checkpoint (our Transaction, another btc-signer copy's, PSBT bytes or base64)
 * @param opts.hash when given, the preimage must hash to it; inputs whose condition does not match are skipped
 * @param opts.inputIndex only look at this input
 * @returns the 32-byte preimage
 * @throws GatewayError `arktx.preimage_not_found` (no input carries a condition),
 *   `arktx.preimage_mismatch` (conditions exist, none matches), `arktx.invalid_psbt`
 */
export function extractPreimage(
  tx: Transaction | { toPSBT(): Uint8Array } | Uint8Array | string,
  opts: { hash?: PreimageHash; inputIndex?: number } = {},
): Uint8Array {
  const t = toArkTransaction(tx);
  const { hash, inputIndex } = opts;
  if (hash?.sha256 !== undefined && hash.sha256.length !== 32)
    throw arkTxError("arktx.invalid_preimage", "sha256 hash must be 32 bytes");
  if (hash?.hash160 !== undefined && hash.hash160.length !== 20)
    throw arkTxError("arktx.invalid_preimage", "hash160 must be 20 bytes");
  let sawCondition = false;
  const indexes = inputIndex === undefined ? [...Array(t.inputsLength).keys()] : [inputIndex];
  for (const i of indexes) {
    if (i < 0 || i >= t.inputsLength)
      throw arkTxError("arktx.input_out_of_range", `input ${i} does not exist`);
    const items = getCondition(t, i);
    if (items === undefined || items.length === 0) continue;
    sawCondition = true;
    for (const item of items) {
      if (item.length !== 32) continue;
      const h = sha256(item);
      if (hash?.sha256 !== undefined && !equalBytes(h, hash.sha256)) continue;
      if (hash?.hash160 !== undefined && !equalBytes(hash160(item), hash.hash160)) continue;
      return item;
    }
  }
  if (!sawCondition) throw arkTxError("arktx.preimage_not_found", "no input carries a condition witness");
  throw arkTxError("arktx.preimage_mismatch", "no condition item matches the expected hash", {
    ...(hash?.sha256 === undefined ? {} : { sha256: toHex(hash.sha256) }),
  });
}
