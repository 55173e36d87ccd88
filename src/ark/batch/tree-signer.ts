/**
 * MuSig2 co-signing of the VTXO tree as one of its cosigners, the way arkd v0.9.15's
 * `tree.treeSignerSession` does it (pkg/ark-lib/tree/musig2.go):
 * - a tx is ours to sign when its input 0 carries our key in a `cosigner` PSBT field;
 * - keys are sorted (BIP-327 KeySort over 33-byte keys) and aggregated with the BIP-341 taproot
 *   tweak `TapTweak(xonly(aggregate) || root)`, root = the tapleaf hash of the batch sweep leaf
 *   `<batch_expiry> CSV DROP <forfeit xonly> CHECKSIG` (a one-leaf tree's root is its leaf hash);
 * - each tx is signed key-path, SIGHASH_DEFAULT, over its prevout (the parent's output, or the
 *   commitment tx's batch output 0 for the root);
 * - nonces are 66-byte public nonces, partial signatures the 32-byte `s`.
 * Secret nonces live only in this object and are consumed once.
 */
import { SigHash, type Transaction } from "@scure/btc-signer";
import * as musig from "@scure/btc-signer/musig2.js";
import { hex } from "@scure/base";
import { equalBytes, toHex } from "../tx/bytes.js";
import { p2trScript, tapLeafHash, taggedHash, taprootOutputKey } from "../tx/crypto.js";
import { ARK_PSBT_KEY_TYPE } from "../tx/index.js";
import { encodeCsvMultisig, relativeTimelockFromNumber } from "../scripts/index.js";
import { batchError } from "./errors.js";
import type { TxTree } from "./tx-tree.js";

const COSIGNER_FIELD = new TextEncoder().encode("cosigner");

type UnknownEntry = [{ type: number; key: Uint8Array }, Uint8Array];

/**
 * The cosigner keys of a tree tx's input 0, in field-index order.
 * @returns 33-byte compressed keys
 */
export function cosignerKeys(tx: Transaction): Uint8Array[] {
  const unknown = (tx.getInput(0).unknown ?? []) as UnknownEntry[];
  const found: { index: number; key: Uint8Array }[] = [];
  for (const [k, v] of unknown) {
    // arkd writes a 4-byte big-endian index after the name; @arkade-os/sdk writes one byte
    const suffix = k.key.length - COSIGNER_FIELD.length;
    if (k.type !== ARK_PSBT_KEY_TYPE || suffix < 1 || suffix > 4) continue;
    if (!equalBytes(k.key.subarray(0, COSIGNER_FIELD.length), COSIGNER_FIELD)) continue;
    let index = 0;
    for (const b of k.key.subarray(COSIGNER_FIELD.length)) index = index * 256 + b;
    if (v.length !== 33)
      throw batchError("batch.invalid_tree", `tree tx ${tx.id}: cosigner key is not 33 bytes`);
    found.push({ index, key: v });
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.key);
}

/**
 * The batch output's sweep leaf: `<batch_expiry> CSV DROP <forfeit xonly> CHECKSIG`.
 * @param forfeitPubkey GetInfo.forfeit_pubkey (33-byte hex)
 * @param batchExpiry BatchStarted.batch_expiry (< 512 blocks, else seconds)
 */
export function sweepTapscript(forfeitPubkey: string, batchExpiry: bigint): Uint8Array {
  const key = hex.decode(forfeitPubkey);
  if (key.length !== 33) throw batchError("batch.invalid_request", "forfeit pubkey must be 33 bytes");
  return encodeCsvMultisig(relativeTimelockFromNumber(batchExpiry), [key.subarray(1)]);
}

/** The taproot tweak of the tree keys: the merkle root of the one-leaf sweep tree. */
export function sweepTapRoot(sweepScript: Uint8Array): Uint8Array {
  return tapLeafHash(sweepScript);
}

/**
 * Sorted keys, the BIP-341 tweak and the tweaked (final) x-only aggregate key. One key is not
 * MuSig2-aggregated: arkd's `tree.AggregateKeys` then falls back to a plain taproot output key.
 */
export function aggregateTreeKeys(
  keys: readonly Uint8Array[],
  root: Uint8Array,
): { sorted: Uint8Array[]; tweak: Uint8Array; finalKey: Uint8Array } {
  const sorted = musig.sortKeys([...keys]);
  if (sorted.length === 1) {
    const xonly = (sorted[0] as Uint8Array).subarray(1);
    return {
      sorted,
      tweak: taggedHash("TapTweak", xonly, root),
      finalKey: taprootOutputKey(xonly, root).key,
    };
  }
  const pre = musig.keyAggregate(sorted).aggPublicKey.toBytes(true).subarray(1);
  const tweak = taggedHash("TapTweak", pre, root);
  const finalKey = musig.keyAggregate(sorted, [tweak], [true]).aggPublicKey.toBytes(true).subarray(1);
  return { sorted, tweak, finalKey };
}

/**
 * Checks that every tx of the tree spends an output locked to its own cosigners: the parent's
 * output (or the batch output, for the root) pays P2TR(aggregate of the tx's cosigners, tweaked
 * by the sweep root), as arkd's builder makes it. Then no tx we co-sign hangs off an output
 * someone else could spend.
 * @throws GatewayError `batch.invalid_tree`
 */
export function checkTreeScripts(
  tree: TxTree,
  batchOutput: { script: Uint8Array; amountSats: bigint },
  sweepRoot: Uint8Array,
): void {
  for (const node of tree.nodes.values()) {
    const keys = cosignerKeys(node.tx);
    if (keys.length === 0) throw batchError("batch.invalid_tree", `tree tx ${node.txid} lists no cosigners`);
    const expected = p2trScript(aggregateTreeKeys(keys, sweepRoot).finalKey);
    if (!equalBytes(tree.prevoutOf(node.txid, batchOutput).script, expected))
      throw batchError(
        "batch.invalid_tree",
        `tree tx ${node.txid} spends an output not locked to its cosigners`,
        {
          txid: node.txid,
        },
      );
  }
}

/** The key-path sighash (SIGHASH_DEFAULT) of a one-input tree tx over its prevout. */
export function treeTxSighash(
  tx: Transaction,
  prevout: { script: Uint8Array; amountSats: bigint },
): Uint8Array {
  return tx.preimageWitnessV1(0, [prevout.script], SigHash.DEFAULT, [prevout.amountSats]);
}

interface SignJob {
  readonly txid: string;
  readonly keys: Uint8Array[];
  readonly msg: Uint8Array;
  readonly tweak: Uint8Array;
}

/** Normalizes a nonce-map key (x-only or compressed hex) to x-only hex. */
function xonlyHex(key: string): string {
  const k = key.toLowerCase();
  return k.length === 66 ? k.slice(2) : k;
}

/** One cosigner's MuSig2 round over the VTXO tree of one batch. */
export class TreeSigner {
  /** 33-byte compressed public key, hex (the intent's cosigner key and stream topic). */
  readonly publicKey: string;
  private readonly pub: Uint8Array;
  private readonly jobs = new Map<string, SignJob>();
  private readonly secretNonces = new Map<string, Uint8Array>();
  private readonly publicNonces = new Map<string, Uint8Array>();
  private readonly aggNonces = new Map<string, Uint8Array>();

  /**
   * @param secretKey 32-byte ephemeral cosigner key (fresh per batch attempt)
   * @param tree the VTXO tree (batch_index 0) as received
   * @param batchOutput commitment tx output 0 (the tree's root prevout)
   * @param sweepRoot {@link sweepTapRoot} of the batch
   * @throws GatewayError `batch.invalid_tree` when the root does not spend a key built from its
   *   cosigners, or a tx lists no cosigners
   */
  constructor(
    private readonly secretKey: Uint8Array,
    tree: TxTree,
    batchOutput: { script: Uint8Array; amountSats: bigint },
    sweepRoot: Uint8Array,
  ) {
    this.pub = musig.IndividualPubkey(secretKey);
    this.publicKey = toHex(this.pub);
    const rootKeys = cosignerKeys(tree.root.tx);
    if (rootKeys.length === 0) throw batchError("batch.invalid_tree", "tree root lists no cosigners");
    const rootAgg = aggregateTreeKeys(rootKeys, sweepRoot);
    if (!equalBytes(p2trScript(rootAgg.finalKey), batchOutput.script))
      throw batchError("batch.invalid_tree", "batch output is not the tree root's aggregate key");
    for (const node of tree.nodes.values()) {
      const keys = cosignerKeys(node.tx);
      if (keys.length === 0)
        throw batchError("batch.invalid_tree", `tree tx ${node.txid} lists no cosigners`);
      if (!keys.some((k) => equalBytes(k, this.pub))) continue;
      if (keys.length < 2)
        throw batchError("batch.invalid_tree", `tree tx ${node.txid} lists only our key as cosigner`);
      const { sorted, tweak } = aggregateTreeKeys(keys, sweepRoot);
      const msg = treeTxSighash(node.tx, tree.prevoutOf(node.txid, batchOutput));
      this.jobs.set(node.txid, { txid: node.txid, keys: sorted, msg, tweak });
    }
  }

  /** Txids of the tree txs this cosigner signs. */
  get txids(): string[] {
    return [...this.jobs.keys()].sort();
  }

  /** Our public nonces (generated on first call), txid -> 66-byte hex. */
  nonces(): Map<string, string> {
    if (this.publicNonces.size === 0) {
      for (const job of this.jobs.values()) {
        const n = musig.nonceGen(this.pub, this.secretKey, undefined, job.msg);
        this.secretNonces.set(job.txid, n.secret);
        this.publicNonces.set(job.txid, n.public);
      }
    }
    return new Map([...this.publicNonces].map(([txid, n]) => [txid, toHex(n)]));
  }

  /**
   * Aggregates the cosigners' nonces of one tx (a `tree_nonces` event); our own nonce is always
   * ours, whatever the map says. A tx we do not sign is ignored.
   * @param nonces cosigner key (x-only or compressed hex) -> 66-byte public nonce hex
   * @returns whether every tx we sign has its aggregate nonce
   * @throws GatewayError `batch.invalid_nonce` (a cosigner's nonce missing or malformed)
   */
  addNonces(txid: string, nonces: ReadonlyMap<string, string>): boolean {
    const job = this.jobs.get(txid);
    const mine = this.publicNonces.get(txid);
    if (job === undefined || this.aggNonces.has(txid)) return this.ready();
    if (mine === undefined)
      throw batchError("batch.protocol_violation", "nonces arrived before ours were made");
    const byKey = new Map([...nonces].map(([k, v]) => [xonlyHex(k), v]));
    const pubNonces = job.keys.map((key) => {
      if (equalBytes(key, this.pub)) return mine;
      const n = byKey.get(toHex(key.subarray(1)));
      if (n === undefined || !/^[0-9a-fA-F]{132}$/.test(n))
        throw batchError("batch.invalid_nonce", `tree tx ${txid}: no valid nonce from ${toHex(key)}`, {
          txid,
        });
      return hex.decode(n);
    });
    try {
      this.aggNonces.set(txid, musig.nonceAggregate(pubNonces));
    } catch (err) {
      throw batchError("batch.invalid_nonce", `tree tx ${txid}: nonces do not aggregate`, { txid }, err);
    }
    return this.ready();
  }

  /**
   * Takes arkd's aggregated nonces (`tree_nonces_aggregated`) for the txs not aggregated yet.
   * @returns whether every tx we sign has its aggregate nonce
   */
  setAggregatedNonces(nonces: ReadonlyMap<string, string>): boolean {
    for (const txid of this.jobs.keys()) {
      const n = nonces.get(txid);
      if (this.aggNonces.has(txid) || n === undefined) continue;
      if (!/^[0-9a-fA-F]{132}$/.test(n))
        throw batchError("batch.invalid_nonce", `tree tx ${txid}: malformed aggregate nonce`, { txid });
      this.aggNonces.set(txid, hex.decode(n));
    }
    return this.ready();
  }

  /** True once every tx we sign has an aggregate nonce. */
  ready(): boolean {
    return this.publicNonces.size > 0 && [...this.jobs.keys()].every((t) => this.aggNonces.has(t));
  }

  /**
   * Our partial signatures, consuming the secret nonces (a second call fails).
   * @returns txid -> 32-byte partial signature hex
   * @throws GatewayError `batch.protocol_violation` (nonces missing or already used)
   */
  sign(): Map<string, string> {
    if (!this.ready())
      throw batchError("batch.protocol_violation", "cannot sign before all nonces are aggregated");
    const out = new Map<string, string>();
    for (const job of this.jobs.values()) {
      const secret = this.secretNonces.get(job.txid);
      if (secret === undefined)
        throw batchError("batch.protocol_violation", `nonce of ${job.txid} already used`);
      this.secretNonces.delete(job.txid);
      const session = new musig.Session(
        this.aggNonces.get(job.txid) as Uint8Array,
        job.keys,
        job.msg,
        [job.tweak],
        [true],
      );
      out.set(job.txid, toHex(session.sign(secret, this.secretKey)));
    }
    return out;
  }
}
