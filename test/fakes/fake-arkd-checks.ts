/**
 * What the fake arkd checks on an offchain tx, written apart from the wallet's code paths where
 * it matters: leaves are parsed with the scripts module's closure decoder (not the tx core's leaf
 * reader), taptrees are rebuilt with buildTapTree, signatures are verified from btc-signer's
 * sighash and noble's schnorr directly (not the tx core's verifyTapscriptSignatures), conditions
 * are evaluated by a small script interpreter.
 */
import { schnorr } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { arkError } from "../../src/ark/client/index.js";
import { buildTapTree, decodeClosure, type Closure } from "../../src/ark/scripts/index.js";
import { tokenize } from "../../src/ark/scripts/script-codec.js";
import { getCondition, getTaptree, type Transaction } from "../../src/ark/tx/index.js";

export const bad = (msg: string) => arkError("ark.invalid_argument", msg);
export const precondition = (msg: string) => arkError("ark.failed_precondition", msg);

export interface InputLeaf {
  readonly leaf: Uint8Array;
  readonly closure: Closure;
  readonly tapTree: Uint8Array[];
}

/** The single tapLeafScript of an input, its closure and the taptree field. */
export function inputLeaf(tx: Transaction, i: number, what: string): InputLeaf {
  const input = tx.getInput(i);
  const tls = input.tapLeafScript ?? [];
  if (tls.length !== 1) throw bad(`${what}: input ${i} must carry exactly one tapLeafScript`);
  const withVersion = (tls[0] as [unknown, Uint8Array])[1];
  const leaf = withVersion.subarray(0, withVersion.length - 1);
  let closure: Closure;
  try {
    closure = decodeClosure(leaf);
  } catch {
    throw bad(`${what}: input ${i} leaf is not an Ark closure`);
  }
  let tapTree: Uint8Array[] | undefined;
  try {
    tapTree = getTaptree(tx, i);
  } catch {
    throw bad(`${what}: input ${i} taptree field is malformed`);
  }
  if (tapTree === undefined) throw bad(`${what}: input ${i} has no taptree field`);
  if (!tapTree.some((l) => hex.encode(l) === hex.encode(leaf)))
    throw bad(`${what}: input ${i} leaf is not in its taptree`);
  return { leaf, closure, tapTree };
}

/** P2TR script of a taptree (btcd shape), hex. */
export function taptreeScriptHex(tapTree: readonly Uint8Array[]): string {
  return hex.encode(buildTapTree(tapTree).pkScript);
}

/** Verifies every signature on input i; returns the x-only keys (hex) that signed for `leaf`. */
export function signersOf(tx: Transaction, i: number, leaf: Uint8Array, sighashAll = false): Set<string> {
  const input = tx.getInput(i);
  const scripts: Uint8Array[] = [];
  const amounts: bigint[] = [];
  for (let j = 0; j < tx.inputsLength; j++) {
    const w = tx.getInput(j).witnessUtxo;
    if (w === undefined) throw bad(`input ${j} has no witnessUtxo`);
    scripts.push(w.script);
    amounts.push(w.amount);
  }
  const signers = new Set<string>();
  for (const [k, sig] of (input.tapScriptSig ?? []) as [
    { pubKey: Uint8Array; leafHash: Uint8Array },
    Uint8Array,
  ][]) {
    const type = sig.length === 65 ? (sig[64] as number) : 0;
    if (sighashAll ? type !== 1 : sig.length !== 64) throw bad(`input ${i}: unexpected sighash type ${type}`);
    const msg = tx.preimageWitnessV1(i, scripts, type, amounts, undefined, leaf, 0xc0);
    if (!schnorr.verify(sig.subarray(0, 64), msg, k.pubKey)) throw bad(`input ${i}: invalid signature`);
    signers.add(hex.encode(k.pubKey));
  }
  return signers;
}

/** Every key of the closure but `exempt` must have signed input i. */
export function requireSigners(
  tx: Transaction,
  i: number,
  leaf: InputLeaf,
  exempt: string | undefined,
  what: string,
  sighashAll = false,
): void {
  const signed = signersOf(tx, i, leaf.leaf, sighashAll);
  for (const k of leaf.closure.pubkeys) {
    const kh = hex.encode(k);
    if (kh !== exempt && !signed.has(kh)) throw bad(`${what}: input ${i} lacks the signature of ${kh}`);
  }
}

/** Evaluates a closure's condition with the input's condition witness (HASH160/SHA256 … EQUAL). */
export function requireCondition(tx: Transaction, i: number, leaf: InputLeaf, what: string): void {
  const c = leaf.closure;
  if (c.type !== "condition-multisig" && c.type !== "condition-csv-multisig") return;
  let witness: Uint8Array[] | undefined;
  try {
    witness = getCondition(tx, i);
  } catch {
    throw bad(`${what}: input ${i} condition field is malformed`);
  }
  if (witness === undefined || witness.length === 0)
    throw bad(`${what}: input ${i} has no condition witness`);
  if (!evalCondition(c.condition, witness)) throw bad(`${what}: input ${i} condition does not hold`);
}

/** A tiny interpreter: push, HASH160, SHA256, EQUAL, EQUALVERIFY; true when the top is truthy. */
function evalCondition(script: Uint8Array, witness: Uint8Array[]): boolean {
  const stack = [...witness];
  for (const t of tokenize(script)) {
    if (t.data !== undefined) stack.push(t.data);
    else if (t.opcode === 0xa9) stack.push(ripemd160(sha256(pop(stack))));
    else if (t.opcode === 0xa8) stack.push(sha256(pop(stack)));
    else if (t.opcode === 0x87 || t.opcode === 0x88) {
      const eq = hex.encode(pop(stack)) === hex.encode(pop(stack));
      if (t.opcode === 0x88) {
        if (!eq) return false;
      } else stack.push(eq ? Uint8Array.of(1) : new Uint8Array());
    } else return false;
  }
  const top = stack.at(-1);
  return top !== undefined && top.some((b) => b !== 0);
}

function pop(stack: Uint8Array[]): Uint8Array {
  const v = stack.pop();
  if (v === undefined) throw bad("condition: stack underflow");
  return v;
}
