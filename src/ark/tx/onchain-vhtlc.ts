/**
 * A VHTLC output that is onchain (its funding Ark tx unrolled): spending it through one of the
 * single-key unilateral leaves, and reading a preimage back from whatever spent it. Pure.
 *
 * - unilateralClaim `HASH160 <h> EQUAL VERIFY <delay> CSV DROP <receiver> CHECKSIG`:
 *   witness `[sig, preimage, script, control block]`, nSequence = the delay (BIP-68)
 * - unilateralRefundWithoutReceiver `<delay> CSV DROP <sender> CHECKSIG`:
 *   witness `[sig, script, control block]`, nSequence = the delay
 * The fee comes out of the one output; the tx is version 2 (BIP-68 needs ≥ 2).
 */
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import type { Vhtlc } from "../scripts/index.js";
import { equalBytes } from "./bytes.js";
import { hash160, parseControlBlock, sha256 } from "./crypto.js";
import { arkTxError } from "./errors.js";
import { readLeaf } from "./leaf.js";
import { withLeafVersion } from "./offchain.js";
import { signTapscriptInput, toSigner, type SchnorrSigner } from "./signing.js";

/** Below this an output is dust for a P2TR/P2WPKH destination on every relay policy we meet. */
export const ONCHAIN_DUST_SATS = 330n;

export type UnilateralLeaf = "unilateralClaim" | "unilateralRefundWithoutReceiver";

export interface UnilateralSpendParams {
  readonly vhtlc: Pick<Vhtlc, UnilateralLeaf | "pkScript" | "controlBlock">;
  readonly leaf: UnilateralLeaf;
  /** The onchain VHTLC output (the funding Ark tx's txid and vout). */
  readonly outpoint: { readonly txid: string; readonly vout: number };
  readonly amountSats: bigint;
  /** Where the funds go (e.g. an LND wallet address's script). */
  readonly destinationScript: Uint8Array;
  readonly feeSats: bigint;
  readonly key: Uint8Array | SchnorrSigner;
  /** 32 bytes; required for unilateralClaim. */
  readonly preimage?: Uint8Array;
}

export interface SignedOnchainTx {
  readonly txid: string;
  readonly hex: string;
  readonly outputSats: bigint;
  /** Virtual size in vbytes. */
  readonly vsize: number;
}

/**
 * Builds and signs the spend of an onchain VHTLC output through a unilateral leaf.
 * @throws GatewayError `arktx.invalid_preimage`, `arktx.preimage_mismatch` (claim),
 *   `arktx.wrong_leaf` (no CSV in the leaf), `arktx.output_below_dust` (fee eats the output),
 *   `arktx.key_not_in_leaf`
 */
export function buildVhtlcUnilateralSpend(p: UnilateralSpendParams): SignedOnchainTx {
  const script = p.vhtlc[p.leaf];
  const info = readLeaf(script);
  if (info?.csv === undefined) throw arkTxError("arktx.wrong_leaf", `${p.leaf} leaf has no CSV`);
  const stack: Uint8Array[] = [];
  if (p.leaf === "unilateralClaim") {
    if (!(p.preimage instanceof Uint8Array) || p.preimage.length !== 32)
      throw arkTxError("arktx.invalid_preimage", "preimage must be 32 bytes");
    if (info.hash160 === undefined || !equalBytes(hash160(p.preimage), info.hash160))
      throw arkTxError("arktx.preimage_mismatch", "HASH160(preimage) is not the VHTLC's hash");
    stack.push(p.preimage);
  }
  const outputSats = p.amountSats - p.feeSats;
  if (p.feeSats < 0n || outputSats < ONCHAIN_DUST_SATS)
    throw arkTxError("arktx.output_below_dust", "the fee leaves a dust output", {
      amountSats: p.amountSats.toString(),
      feeSats: p.feeSats.toString(),
    });
  const controlBlock = p.vhtlc.controlBlock(script);
  const cb = parseControlBlock(controlBlock);
  if (cb === undefined) throw arkTxError("arktx.invalid_control_block", "VHTLC control block does not parse");
  const tx = new Transaction({ version: 2, allowUnknownOutputs: true });
  tx.addInput({
    txid: p.outpoint.txid,
    index: p.outpoint.vout,
    sequence: Number(info.csv),
    witnessUtxo: { script: p.vhtlc.pkScript, amount: p.amountSats },
    tapLeafScript: [[cb, withLeafVersion(script)]],
  });
  tx.addOutput({ script: p.destinationScript, amount: outputSats });
  const signer = toSigner(p.key);
  // zero auxiliary randomness: the same request signs the same tx (a re-signed refund after a
  // crash is the very tx a first attempt may have broadcast)
  signTapscriptInput(tx, 0, signer, { leafScript: script, auxRand: new Uint8Array(32) });
  const sig = tx.getInput(0).tapScriptSig?.[0]?.[1];
  if (sig === undefined) throw arkTxError("arktx.missing_signature", "signing produced no signature");
  tx.updateInput(0, { finalScriptWitness: [sig, ...stack, script, controlBlock] }, true);
  return { txid: tx.id, hex: hex.encode(tx.extract()), outputSats, vsize: tx.vsize };
}

/** A spend of an outpoint as read from the chain: the spending tx and which input spends it. */
export interface OnchainSpendTx {
  /** The spending transaction, raw hex. */
  readonly rawTx: string;
  /** The index of the input that spends the watched outpoint, when known. */
  readonly inputIndex?: number;
}

/**
 * The 32-byte item of the spending input's witness whose SHA256 is `paymentHash`: a unilateral
 * claim (`[sig, preimage, …]`) or an unrolled offchain claim's checkpoint (the condition witness)
 * both carry it. Undefined when the spend revealed none (a refund path).
 * @param outpoint the VHTLC output; inputs spending anything else are ignored
 */
export function preimageFromWitness(
  spend: OnchainSpendTx,
  outpoint: { readonly txid: string; readonly vout: number },
  paymentHash: Uint8Array,
): Uint8Array | undefined {
  let tx: Transaction;
  try {
    tx = Transaction.fromRaw(hex.decode(spend.rawTx), {
      allowUnknownOutputs: true,
      allowUnknownInputs: true,
      allowUnknownVersion: true,
      disableScriptCheck: true,
    });
  } catch (err) {
    throw arkTxError("arktx.invalid_psbt", "spending transaction does not parse", undefined, err);
  }
  for (let i = 0; i < tx.inputsLength; i++) {
    const input = tx.getInput(i);
    if (input.txid === undefined || hex.encode(input.txid) !== outpoint.txid.toLowerCase()) continue;
    if (input.index !== outpoint.vout) continue;
    for (const item of input.finalScriptWitness ?? []) {
      if (item.length === 32 && equalBytes(sha256(item), paymentHash)) return item;
    }
  }
  return undefined;
}
