/**
 * Builds and signs the three spends the wallet makes, as records ready for spend-runner:
 * - fund: wallet VTXOs (forfeit leaf) → the target script + change to the wallet
 * - claim: VHTLC VTXOs via the claim leaf, `condition = [preimage]` on every input → wallet
 * - refund: VHTLC VTXOs via refundWithoutReceiver (nLockTime = refund locktime) → wallet
 * Pure apart from the signatures' randomness.
 */
import type { ScriptVtxo } from "../../swaps/ports/ark.js";
import type { Vhtlc } from "../scripts/index.js";
import type { ArkServerInfo } from "../server-info.js";
import {
  buildOffchainTxs,
  psbtBase64,
  signTapscriptInputs,
  type OutputPolicy,
  type SchnorrSigner,
  type TxOutputSpec,
  type VtxoInput,
} from "../tx/index.js";
import { splitOwnAmount, type Selection, type SelectionPolicy } from "./coin-selection.js";
import { walletError } from "./errors.js";
import type { NewSpendRecord } from "./store.js";
import { splitOutpoint, walletInput, type WalletScript } from "./wallet-script.js";
import { isP2trScriptHex } from "../../lib/hex.js";
import { formatOutpoint } from "../../domain/outpoint.js";

/** Upper bound of inputs per spend (each is one checkpoint tx). */
export const DEFAULT_MAX_INPUTS = 32;

/** The tx core's output policy from GetInfo (negative limits = none). */
export function outputPolicy(info: ArkServerInfo): OutputPolicy {
  return {
    dustSats: info.dustSats,
    vtxoMinAmountSats: info.vtxoMinAmountSats,
    vtxoMaxAmountSats: info.vtxoMaxAmountSats,
    ...(info.maxOpReturnOutputs >= 0n ? { maxOpReturnOutputs: Number(info.maxOpReturnOutputs) } : {}),
  };
}

export function selectionPolicy(info: ArkServerInfo, maxInputs = DEFAULT_MAX_INPUTS): SelectionPolicy {
  return {
    dustSats: info.dustSats,
    vtxoMinAmountSats: info.vtxoMinAmountSats,
    vtxoMaxAmountSats: info.vtxoMaxAmountSats,
    maxInputs,
  };
}

function checkpointTapscript(info: ArkServerInfo): Uint8Array {
  return Uint8Array.from(Buffer.from(info.checkpointTapscript, "hex"));
}

/**
 * The fund spend: selected wallet VTXOs → `targetScript` (output 0) + change.
 * @throws GatewayError from the tx core (`arktx.*`)
 */
export function buildFundSpend(p: {
  readonly id: string;
  readonly request: string;
  readonly targetScript: Uint8Array;
  readonly amountSats: bigint;
  readonly selection: Selection;
  readonly wallet: WalletScript;
  readonly signer: SchnorrSigner;
  readonly info: ArkServerInfo;
}): NewSpendRecord {
  const outputs: TxOutputSpec[] = [{ amountSats: p.amountSats, pkScript: p.targetScript }];
  for (const c of p.selection.changeSats) outputs.push({ amountSats: c, pkScript: p.wallet.pkScript });
  if (p.selection.subdustChangeSats > 0n)
    outputs.push({ amountSats: p.selection.subdustChangeSats, pkScript: p.wallet.subdustPkScript });
  const inputs = p.selection.inputs.map((c) => walletInput(p.wallet, c.outpoint, c.amountSats));
  const outpoints = p.selection.inputs.map((c) => c.outpoint);
  return signAndRecord(p, inputs, outputs, {
    kind: "fund",
    swapKeyIndex: null,
    reserved: outpoints,
    resultVout: 0,
  });
}

/**
 * The claim spend of VHTLC VTXOs (we are the receiver) into the wallet.
 * @param p.preimage 32 bytes; HASH160 must be the VHTLC's hash
 * @throws GatewayError `wallet.invalid_request` (wrong preimage), tx core errors
 */
export function buildClaimSpend(p: VhtlcSpendInput & { readonly preimage: Uint8Array }): NewSpendRecord {
  const inputs = p.vtxos.map((v) => vhtlcInput(p.vhtlc, v, p.vhtlc.claim, [p.preimage]));
  return signAndRecord(p, inputs, ownOutputs(p), { kind: "claim", swapKeyIndex: p.keyIndex, reserved: [] });
}

/**
 * The refundWithoutReceiver spend of VHTLC VTXOs (we are the sender) into the wallet.
 * @throws GatewayError tx core errors
 */
export function buildRefundSpend(p: VhtlcSpendInput): NewSpendRecord {
  const inputs = p.vtxos.map((v) => vhtlcInput(p.vhtlc, v, p.vhtlc.refundWithoutReceiver));
  return signAndRecord(p, inputs, ownOutputs(p), { kind: "refund", swapKeyIndex: p.keyIndex, reserved: [] });
}

export interface VhtlcSpendInput {
  readonly id: string;
  readonly request: string;
  readonly vhtlc: Vhtlc;
  readonly keyIndex: number;
  readonly vtxos: readonly ScriptVtxo[];
  readonly wallet: WalletScript;
  readonly signer: SchnorrSigner;
  readonly info: ArkServerInfo;
}

/** Σ VTXOs back to the wallet script (split within limits; sub-dust as OP_RETURN). */
function ownOutputs(p: VhtlcSpendInput): TxOutputSpec[] {
  const total = p.vtxos.reduce((s, v) => s + v.amountSats, 0n);
  const { normal, subdust } = splitOwnAmount(total, selectionPolicy(p.info));
  const outputs: TxOutputSpec[] = normal.map((a) => ({ amountSats: a, pkScript: p.wallet.pkScript }));
  if (subdust > 0n) outputs.push({ amountSats: subdust, pkScript: p.wallet.subdustPkScript });
  return outputs;
}

function vhtlcInput(vhtlc: Vhtlc, v: ScriptVtxo, leaf: Uint8Array, condition?: Uint8Array[]): VtxoInput {
  const [txid, vout] = splitOutpoint(v.outpoint);
  return {
    txid,
    vout,
    amountSats: v.amountSats,
    leafScript: leaf,
    controlBlock: vhtlc.controlBlock(leaf),
    tapTree: vhtlc.leaves,
    pkScript: vhtlc.pkScript,
    ...(condition === undefined ? {} : { condition }),
  };
}

function signAndRecord(
  p: {
    readonly id: string;
    readonly request: string;
    readonly signer: SchnorrSigner;
    readonly info: ArkServerInfo;
  },
  inputs: VtxoInput[],
  outputs: TxOutputSpec[],
  meta: {
    kind: NewSpendRecord["kind"];
    swapKeyIndex: number | null;
    reserved: readonly string[];
    resultVout?: number;
  },
): NewSpendRecord {
  const txs = buildOffchainTxs({
    inputs,
    outputs,
    checkpointTapscript: checkpointTapscript(p.info),
    policy: outputPolicy(p.info),
  });
  const signed = signTapscriptInputs(txs.arkTx, p.signer);
  if (signed.length !== inputs.length)
    throw walletError("wallet.key_mismatch", "our key is not in every input's leaf", {
      signed: signed.length,
      inputs: inputs.length,
    });
  const arkTxid = txs.arkTx.id;
  return {
    id: p.id,
    kind: meta.kind,
    request: p.request,
    arkTxid,
    signedArkTx: psbtBase64(txs.arkTx),
    checkpointTxs: txs.checkpoints.map(psbtBase64),
    inputOutpoints: inputs.map(formatOutpoint),
    reservedOutpoints: meta.reserved,
    swapKeyIndex: meta.swapKeyIndex,
    resultOutpoint: meta.resultVout === undefined ? null : `${arkTxid}:${meta.resultVout}`,
  };
}

/** `5120…` hex of a P2TR script, validated. @throws GatewayError `wallet.invalid_request` */
export function p2trFromHex(script: string): Uint8Array {
  if (!isP2trScriptHex(script))
    throw walletError(
      "wallet.invalid_request",
      "script must be a P2TR scriptPubKey (5120 + 32-byte key, hex)",
      {
        script: String(script),
      },
    );
  return Uint8Array.from(Buffer.from(script, "hex"));
}
