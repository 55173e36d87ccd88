/**
 * Tapscript signatures on Ark PSBTs: sign an input for a leaf (Schnorr, SIGHASH_DEFAULT unless
 * told otherwise), verify every signature an input carries (the server's co-signature after
 * SubmitTx, a counterparty's before co-signing), and merge signatures of several copies of the
 * same unsigned tx (the cooperative 3-of-3 VHTLC refund).
 */
import { SigHash, Transaction } from "@scure/btc-signer";
import { equalBytes, toHex } from "./bytes.js";
import {
  TAPROOT_LEAF_VERSION,
  createSchnorrSigner,
  tapLeafHash,
  verifySchnorr,
  type SchnorrSigner,
} from "./crypto.js";
import { arkTxError } from "./errors.js";
import { readLeaf } from "./leaf.js";

export type { SchnorrSigner };
export { createSchnorrSigner };

type TapScriptSig = [{ pubKey: Uint8Array; leafHash: Uint8Array }, Uint8Array];

export interface SignOptions {
  /** Leaf to sign for; defaults to the input's only tapLeafScript. */
  readonly leafScript?: Uint8Array;
  /** SIGHASH_DEFAULT (0) for Ark txs, SIGHASH_ALL (1) for intent proofs. */
  readonly sighashType?: number;
  /** BIP340 auxiliary randomness (32 bytes); fresh random bytes when absent. */
  readonly auxRand?: Uint8Array;
}

/**
 * A signer from a private key, or the signer itself.
 * @throws GatewayError `arktx.invalid_private_key`
 */
export function toSigner(key: Uint8Array | SchnorrSigner): SchnorrSigner {
  if (!(key instanceof Uint8Array)) return key;
  try {
    return createSchnorrSigner(key);
  } catch (err) {
    throw arkTxError("arktx.invalid_private_key", "private key must be 32 bytes in [1, n-1]", undefined, err);
  }
}

function assertIndex(tx: Transaction, inputIndex: number): void {
  if (!Number.isInteger(inputIndex) || inputIndex < 0 || inputIndex >= tx.inputsLength)
    throw arkTxError("arktx.input_out_of_range", `input ${inputIndex} does not exist`, { inputIndex });
}

type Input = ReturnType<Transaction["getInput"]>;

/** The input's tapLeafScript scripts (leaf version stripped). */
function leavesOf(input: Input): Uint8Array[] {
  return (input.tapLeafScript ?? []).map(([, s]) => s.subarray(0, s.length - 1));
}

function pickLeaf(input: Input, inputIndex: number, leafScript?: Uint8Array): Uint8Array {
  const leaves = leavesOf(input);
  if (leafScript !== undefined) {
    const found = leaves.find((l) => equalBytes(l, leafScript));
    if (found === undefined)
      throw arkTxError(
        "arktx.missing_leaf_script",
        `input ${inputIndex} has no tapLeafScript for this leaf`,
        {
          inputIndex,
        },
      );
    return found;
  }
  if (leaves.length !== 1)
    throw arkTxError("arktx.missing_leaf_script", `input ${inputIndex} needs exactly one tapLeafScript`, {
      inputIndex,
      count: leaves.length,
    });
  return leaves[0] as Uint8Array;
}

/** Prevout scripts and amounts of every input; `known` saves re-reading (cloning) one input. */
function prevouts(
  tx: Transaction,
  known?: { index: number; input: Input },
): { scripts: Uint8Array[]; amounts: bigint[] } {
  const scripts: Uint8Array[] = [];
  const amounts: bigint[] = [];
  for (let i = 0; i < tx.inputsLength; i++) {
    const w = (known?.index === i ? known.input : tx.getInput(i)).witnessUtxo;
    if (w === undefined)
      throw arkTxError("arktx.missing_witness_utxo", `input ${i} has no witnessUtxo`, { inputIndex: i });
    scripts.push(w.script);
    amounts.push(w.amount);
  }
  return { scripts, amounts };
}

function sighashOf(
  tx: Transaction,
  inputIndex: number,
  input: Input,
  leafScript: Uint8Array,
  sighashType: number,
): Uint8Array {
  const { scripts, amounts } = prevouts(tx, { index: inputIndex, input });
  return tx.preimageWitnessV1(
    inputIndex,
    scripts,
    sighashType,
    amounts,
    undefined,
    leafScript,
    TAPROOT_LEAF_VERSION,
  );
}

/** BIP341 script-path sighash of `inputIndex` for `leafScript`. */
export function tapscriptSighash(
  tx: Transaction,
  inputIndex: number,
  leafScript: Uint8Array,
  sighashType: number = SigHash.DEFAULT,
): Uint8Array {
  assertIndex(tx, inputIndex);
  return sighashOf(tx, inputIndex, tx.getInput(inputIndex), leafScript, sighashType);
}

/**
 * Signs one input for one of its tapscript leaves and stores the signature in `tapScriptSig`.
 * @param key 32-byte private key or a {@link SchnorrSigner}
 * @throws GatewayError `arktx.input_out_of_range`, `arktx.missing_leaf_script`,
 *   `arktx.key_not_in_leaf`, `arktx.missing_witness_utxo`, `arktx.invalid_private_key`
 */
export function signTapscriptInput(
  tx: Transaction,
  inputIndex: number,
  key: Uint8Array | SchnorrSigner,
  opts: SignOptions = {},
): void {
  assertIndex(tx, inputIndex);
  const signer = toSigner(key);
  const input = tx.getInput(inputIndex);
  const leaf = pickLeaf(input, inputIndex, opts.leafScript);
  const info = readLeaf(leaf);
  if (info === undefined || !info.pubkeys.some((k) => equalBytes(k, signer.xOnlyPubkey)))
    throw arkTxError(
      "arktx.key_not_in_leaf",
      `input ${inputIndex}: key ${toHex(signer.xOnlyPubkey)} is not in the leaf`,
      {
        inputIndex,
      },
    );
  const sighashType = opts.sighashType ?? SigHash.DEFAULT;
  const msg = sighashOf(tx, inputIndex, input, leaf, sighashType);
  const sig64 = signer.sign(msg, opts.auxRand);
  const sig = sighashType === SigHash.DEFAULT ? sig64 : Uint8Array.of(...sig64, sighashType);
  const leafHash = tapLeafHash(leaf);
  const existing = (input.tapScriptSig ?? []) as TapScriptSig[];
  const kept = existing.filter(
    ([k]) => !(equalBytes(k.pubKey, signer.xOnlyPubkey) && equalBytes(k.leafHash, leafHash)),
  );
  if (kept.length !== existing.length) tx.updateInput(inputIndex, { tapScriptSig: undefined }, true);
  tx.updateInput(
    inputIndex,
    { tapScriptSig: [...kept, [{ pubKey: signer.xOnlyPubkey, leafHash }, sig]] },
    true,
  );
}

/**
 * Signs every input whose (single) leaf contains the signer's key.
 * @returns the indexes signed
 */
export function signTapscriptInputs(
  tx: Transaction,
  key: Uint8Array | SchnorrSigner,
  opts: Omit<SignOptions, "leafScript"> = {},
): number[] {
  const signer = toSigner(key);
  const signed: number[] = [];
  for (let i = 0; i < tx.inputsLength; i++) {
    for (const leaf of leavesOf(tx.getInput(i))) {
      const info = readLeaf(leaf);
      if (info === undefined || !info.pubkeys.some((k) => equalBytes(k, signer.xOnlyPubkey))) continue;
      signTapscriptInput(tx, i, signer, { ...opts, leafScript: leaf });
      signed.push(i);
    }
  }
  return signed;
}

export interface VerifyOptions {
  /** x-only keys that must have signed (each once, for the input's leaf). */
  readonly requiredSigners?: readonly Uint8Array[];
  /** Accepted sighash types; SIGHASH_DEFAULT only by default. */
  readonly allowedSighashTypes?: readonly number[];
}

/**
 * Verifies every tapscript signature on an input against its leaf and the tx's prevouts.
 * @returns hex x-only keys whose signatures verified
 * @throws GatewayError `arktx.invalid_signature` (a signature fails, or names a key or leaf the
 *   input does not have), `arktx.sighash_not_allowed`, `arktx.missing_signature` (a required
 *   signer did not sign), `arktx.missing_witness_utxo`, `arktx.input_out_of_range`
 */
export function verifyTapscriptSignatures(
  tx: Transaction,
  inputIndex: number,
  opts: VerifyOptions = {},
): string[] {
  assertIndex(tx, inputIndex);
  const allowed: readonly number[] = opts.allowedSighashTypes ?? [SigHash.DEFAULT];
  const input = tx.getInput(inputIndex);
  const leaves = leavesOf(input);
  const sigs = (input.tapScriptSig ?? []) as TapScriptSig[];
  const verified: string[] = [];
  for (const [{ pubKey, leafHash }, sig] of sigs) {
    const leaf = leaves.find((l) => equalBytes(tapLeafHash(l), leafHash));
    const details = { inputIndex, pubkey: toHex(pubKey) };
    if (leaf === undefined)
      throw arkTxError(
        "arktx.invalid_signature",
        `input ${inputIndex}: signature for an unknown leaf`,
        details,
      );
    if (sig.length !== 64 && sig.length !== 65)
      throw arkTxError(
        "arktx.invalid_signature",
        `input ${inputIndex}: signature must be 64 or 65 bytes`,
        details,
      );
    const sighashType = sig.length === 65 ? (sig[64] as number) : SigHash.DEFAULT;
    if (sig.length === 65 && sighashType === SigHash.DEFAULT)
      throw arkTxError("arktx.invalid_signature", `input ${inputIndex}: explicit 0x00 sighash byte`, details);
    if (!allowed.includes(sighashType))
      throw arkTxError(
        "arktx.sighash_not_allowed",
        `input ${inputIndex}: sighash 0x${sighashType.toString(16)} not allowed`,
        details,
      );
    const info = readLeaf(leaf);
    if (info === undefined || !info.pubkeys.some((k) => equalBytes(k, pubKey)))
      throw arkTxError(
        "arktx.invalid_signature",
        `input ${inputIndex}: signing key is not in the leaf`,
        details,
      );
    const msg = sighashOf(tx, inputIndex, input, leaf, sighashType);
    if (!verifySchnorr(sig.subarray(0, 64), msg, pubKey))
      throw arkTxError(
        "arktx.invalid_signature",
        `input ${inputIndex}: bad signature from ${details.pubkey}`,
        details,
      );
    verified.push(details.pubkey);
  }
  for (const required of opts.requiredSigners ?? []) {
    if (!verified.includes(toHex(required)))
      throw arkTxError(
        "arktx.missing_signature",
        `input ${inputIndex}: no signature from ${toHex(required)}`,
        {
          inputIndex,
          pubkey: toHex(required),
        },
      );
  }
  return verified;
}

/**
 * Merges the tapscript signatures of `others` into a copy of `base`. All must be the same
 * unsigned tx; a signature already on `base` for the same key and leaf is kept.
 * @returns a new Transaction (inputs untouched)
 * @throws GatewayError `arktx.merge_mismatch` when the unsigned txs differ
 */
export function mergeTapscriptSignatures(base: Transaction, ...others: Transaction[]): Transaction {
  return addTapscriptSignatures(base.clone(), ...others);
}

/**
 * Adds the tapscript signatures of `others` to `target` itself (no copy: for a tx the caller
 * owns, e.g. one it just parsed), as {@link mergeTapscriptSignatures} does to its copy.
 * @returns `target`
 * @throws GatewayError `arktx.merge_mismatch` when the unsigned txs differ (`target` untouched)
 */
export function addTapscriptSignatures(target: Transaction, ...others: Transaction[]): Transaction {
  for (const other of others) {
    if (other.id !== target.id || other.inputsLength !== target.inputsLength)
      throw arkTxError("arktx.merge_mismatch", `cannot merge signatures of ${other.id} into ${target.id}`, {
        base: target.id,
        other: other.id,
      });
  }
  for (const other of others) {
    for (let i = 0; i < target.inputsLength; i++) {
      const have = (target.getInput(i).tapScriptSig ?? []) as TapScriptSig[];
      const add = ((other.getInput(i).tapScriptSig ?? []) as TapScriptSig[]).filter(
        ([k]) => !have.some(([h]) => equalBytes(h.pubKey, k.pubKey) && equalBytes(h.leafHash, k.leafHash)),
      );
      if (add.length > 0) target.updateInput(i, { tapScriptSig: add }, true);
    }
  }
  return target;
}

export { Transaction, SigHash };
