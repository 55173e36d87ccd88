/**
 * The intents of a batch join: register (inputs → one new VTXO output, our cosigner key),
 * estimate-intent-fee (same shape, so arkd evaluates its CEL fee programs on it) and delete
 * (to withdraw a registered intent after a failed attempt). Input order is client-lib's: wallet
 * VTXOs first (spent via their forfeit leaf, signed SIGHASH_ALL), then notes (condition =
 * preimage, nothing to sign).
 */
import type { IntentProof as WireIntentProof } from "../client/types.js";
import {
  buildIntentProof,
  psbtBase64,
  signIntentProof,
  type IntentInput,
  type SchnorrSigner,
  type VtxoInput,
} from "../tx/index.js";
import { batchError } from "./errors.js";
import { noteIntentInput, type ArkNote } from "./note.js";
import { formatOutpoint } from "../../domain/outpoint.js";

export interface BatchInputs {
  /** Wallet VTXOs, each as its forfeit-leaf input (they need forfeits). */
  readonly vtxos: readonly VtxoInput[];
  readonly notes: readonly ArkNote[];
  /** Boarding UTXOs (onchain, collaborative leaf): no forfeit, they sign the commitment tx. */
  readonly boarding?: readonly VtxoInput[];
}

/** One requested output of a join; `onchain` ones are paid by the commitment tx itself. */
export interface JoinOutput {
  readonly script: Uint8Array;
  readonly amountSats: bigint;
  readonly onchain: boolean;
}

/** Intent inputs in client-lib order; `sequence` 0xFFFFFFFF everywhere. */
export function intentInputs(inputs: BatchInputs): IntentInput[] {
  const all: IntentInput[] = [
    ...inputs.vtxos.map((v) => ({ ...v, sequence: 0xffffffff })),
    ...(inputs.boarding ?? []).map((v) => ({ ...v, sequence: 0xffffffff })),
    ...inputs.notes.map(noteIntentInput),
  ];
  if (all.length === 0) throw batchError("batch.invalid_request", "a batch join needs at least one input");
  return all;
}

/** `txid:vout` of every input (the event-stream topics), in intent order. */
export function inputOutpoints(inputs: BatchInputs): string[] {
  return [
    ...inputs.vtxos.map(formatOutpoint),
    ...(inputs.boarding ?? []).map(formatOutpoint),
    ...inputs.notes.map((n) => n.outpoint),
  ];
}

/** Σ input amounts (sats). */
export function inputTotal(inputs: BatchInputs): bigint {
  return [...inputs.vtxos, ...(inputs.boarding ?? []), ...inputs.notes].reduce(
    (s, i) => s + i.amountSats,
    0n,
  );
}

function signed(
  message: Parameters<typeof buildIntentProof>[0]["message"],
  inputs: BatchInputs,
  signer: SchnorrSigner,
  output?: { script: Uint8Array; amountSats: bigint },
): WireIntentProof {
  const proof = buildIntentProof({
    message,
    inputs: intentInputs(inputs),
    ...(output === undefined
      ? {}
      : { outputs: [{ pkScript: output.script, amountSats: output.amountSats }] }),
  });
  signIntentProof(proof.proof, signer);
  return { proof: psbtBase64(proof.proof), message: proof.message };
}

/**
 * The signed register intent: all inputs, one offchain output, one cosigner key.
 * @param cosignerPublicKey 33-byte hex key that co-signs the VTXO tree
 * @throws GatewayError `batch.invalid_request`, `arktx.*`
 */
export function registerIntent(p: {
  readonly inputs: BatchInputs;
  readonly output: { readonly script: Uint8Array; readonly amountSats: bigint };
  readonly cosignerPublicKey: string;
  readonly signer: SchnorrSigner;
}): WireIntentProof {
  return signed(
    {
      type: "register",
      onchainOutputIndexes: [],
      validAt: 0,
      expireAt: 0,
      cosignersPublicKeys: [p.cosignerPublicKey],
    },
    p.inputs,
    p.signer,
    p.output,
  );
}

/**
 * The estimate-intent-fee intent of the same join (arkd answers the fee in sats).
 * @throws GatewayError `batch.invalid_request`, `arktx.*`
 */
export function estimateFeeIntent(p: {
  readonly inputs: BatchInputs;
  readonly output: { readonly script: Uint8Array; readonly amountSats: bigint };
  readonly cosignerPublicKey: string;
  readonly signer: SchnorrSigner;
}): WireIntentProof {
  return signed(
    {
      type: "estimate-intent-fee",
      onchainOutputIndexes: [],
      validAt: 0,
      expireAt: 0,
      cosignersPublicKeys: [p.cosignerPublicKey],
    },
    p.inputs,
    p.signer,
    p.output,
  );
}

/**
 * The delete intent for the same inputs, valid until `expireAt` (unix seconds).
 * @throws GatewayError `batch.invalid_request`, `arktx.*`
 */
export function deleteIntent(p: {
  readonly inputs: BatchInputs;
  readonly signer: SchnorrSigner;
  readonly expireAt: number;
}): WireIntentProof {
  return signed({ type: "delete", expireAt: p.expireAt }, p.inputs, p.signer);
}

/** The register (or estimate-intent-fee) intent of a join with any outputs, onchain ones flagged. */
function joinIntent(
  type: "register" | "estimate-intent-fee",
  p: {
    readonly inputs: BatchInputs;
    readonly outputs: readonly JoinOutput[];
    readonly cosignerPublicKey: string;
    readonly signer: SchnorrSigner;
  },
): WireIntentProof {
  if (p.outputs.length === 0) throw batchError("batch.invalid_request", "a batch join needs an output");
  const proof = buildIntentProof({
    message: {
      type,
      onchainOutputIndexes: p.outputs.flatMap((o, i) => (o.onchain ? [i] : [])),
      validAt: 0,
      expireAt: 0,
      cosignersPublicKeys: [p.cosignerPublicKey],
    },
    inputs: intentInputs(p.inputs),
    outputs: p.outputs.map((o) => ({ pkScript: o.script, amountSats: o.amountSats })),
  });
  signIntentProof(proof.proof, p.signer);
  return { proof: psbtBase64(proof.proof), message: proof.message };
}

/**
 * The signed register intent of a join with several outputs (VTXOs and onchain outputs).
 * @throws GatewayError `batch.invalid_request`, `arktx.*`
 */
export function registerJoinIntent(p: {
  readonly inputs: BatchInputs;
  readonly outputs: readonly JoinOutput[];
  readonly cosignerPublicKey: string;
  readonly signer: SchnorrSigner;
}): WireIntentProof {
  return joinIntent("register", p);
}

/**
 * The estimate-intent-fee intent of the same join.
 * @throws GatewayError `batch.invalid_request`, `arktx.*`
 */
export function estimateJoinFeeIntent(p: {
  readonly inputs: BatchInputs;
  readonly outputs: readonly JoinOutput[];
  readonly cosignerPublicKey: string;
  readonly signer: SchnorrSigner;
}): WireIntentProof {
  return joinIntent("estimate-intent-fee", p);
}
