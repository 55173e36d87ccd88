/**
 * Forfeit txs (arkd pkg/ark-lib/tree/forfeit_tx.go + client-lib's createAndSignForfeits): one per
 * spent VTXO, version 3, nLockTime = the forfeit leaf's CLTV (0 here), inputs
 * [VTXO via its forfeit leaf (nSequence 0xFFFFFFFF, 0xFFFFFFFE for a CLTV leaf), connector output
 * (0xFFFFFFFF)], outputs [Σ inputs to the forfeit address, P2A anchor 0]. arkd accepts any
 * connector leaf of the batch as long as each is used once.
 */
import { bech32, bech32m } from "@scure/base";
import type { Transaction } from "@scure/btc-signer";
import { concat } from "../tx/bytes.js";
import {
  CLTV_SEQUENCE,
  FINAL_SEQUENCE,
  P2A_SCRIPT,
  newArkTransaction,
  signTapscriptInput,
  type SchnorrSigner,
  type VtxoInput,
} from "../tx/index.js";
import { prepareVtxoInput, withLeafVersion } from "../tx/offchain.js";
import { toHex } from "../tx/bytes.js";
import { batchError } from "./errors.js";
import type { TxTree } from "./tx-tree.js";

/** A connector output: where a forfeit's second input comes from. */
export interface Connector {
  readonly txid: string;
  readonly vout: number;
  readonly amountSats: bigint;
  readonly script: Uint8Array;
  /** The leaf's topics: arkd names the VTXO (`txid:vout`) the connector is for. */
  readonly topics: readonly string[];
}

const SEGWIT_HRPS = new Set(["bc", "tb", "bcrt"]);

/**
 * The scriptPubKey of a segwit address (GetInfo.forfeit_address).
 * @throws GatewayError `batch.invalid_request` for anything but a bc/tb/bcrt segwit address
 */
export function segwitScript(address: string): Uint8Array {
  const lower = typeof address === "string" ? address.toLowerCase() : "";
  for (const codec of [bech32, bech32m]) {
    let decoded: { prefix: string; words: number[] };
    try {
      decoded = codec.decode(lower as `${string}1${string}`);
    } catch {
      continue;
    }
    const [version, ...rest] = decoded.words;
    if (!SEGWIT_HRPS.has(decoded.prefix) || version === undefined) break;
    if ((version === 0) !== (codec === bech32)) break;
    const program = codec.fromWords(rest);
    if (program.length < 2 || program.length > 40 || version > 16) break;
    const op = version === 0 ? 0x00 : 0x50 + version;
    return concat(Uint8Array.of(op, program.length), program);
  }
  throw batchError("batch.invalid_request", "forfeit address is not a segwit address", { address });
}

/**
 * The connector outputs of a connector tree: each leaf's first non-anchor output, leaves in
 * txid order.
 */
export function connectorOutputs(tree: TxTree): Connector[] {
  return tree.leaves.map((leaf) => {
    for (let i = 0; i < leaf.tx.outputsLength; i++) {
      const out = leaf.tx.getOutput(i);
      if (out.script === undefined || out.amount === undefined) continue;
      if (toHex(out.script) === toHex(P2A_SCRIPT)) continue;
      return { txid: leaf.txid, vout: i, amountSats: out.amount, script: out.script, topics: leaf.topics };
    }
    throw batchError("batch.connector_missing", `connector leaf ${leaf.txid} has no connector output`);
  });
}

/**
 * Pairs our VTXOs with connectors the way arkd assigned them: a connector leaf's topic names its
 * VTXO. arkd makes connectors only for VTXOs that need a forfeit (not swept, not expired: on a
 * block-mode regtest arkd takes a VTXO as expired `expires_at` = 144 s after its batch), so a VTXO
 * without a connector gets no forfeit. Connectors without topics are handed out in order.
 * @returns the VTXOs to forfeit, each with its connector
 */
export function pairConnectors<V extends { readonly txid: string; readonly vout: number }>(
  vtxos: readonly V[],
  connectors: readonly Connector[],
): { vtxo: V; connector: Connector }[] {
  const byTopic = new Map<string, Connector>();
  for (const c of connectors) for (const t of c.topics) byTopic.set(t.toLowerCase(), c);
  const untagged = connectors.filter((c) => c.topics.length === 0);
  const pairs: { vtxo: V; connector: Connector }[] = [];
  for (const vtxo of vtxos) {
    const connector = byTopic.get(`${vtxo.txid.toLowerCase()}:${vtxo.vout}`) ?? untagged.shift();
    if (connector !== undefined) pairs.push({ vtxo, connector });
  }
  return pairs;
}

/**
 * Builds and signs the forfeit tx of one VTXO.
 * @param vtxo the VTXO, spent through its forfeit leaf (`leafScript`)
 * @param connector a connector output of this batch, used by no other forfeit
 * @param forfeitScript scriptPubKey of GetInfo.forfeit_address
 * @param signer the VTXO owner's key (in the forfeit leaf)
 * @throws GatewayError `arktx.*` (bad input), `batch.invalid_request`
 */
export function buildForfeitTx(p: {
  readonly vtxo: VtxoInput;
  readonly connector: Connector;
  readonly forfeitScript: Uint8Array;
  readonly signer: SchnorrSigner;
}): Transaction {
  const prepared = prepareVtxoInput(p.vtxo, 0);
  if (!(p.forfeitScript instanceof Uint8Array) || p.forfeitScript.length === 0)
    throw batchError("batch.invalid_request", "forfeit script is empty");
  const lockTime = prepared.cltv ?? 0n;
  const tx = newArkTransaction(3, Number(lockTime));
  tx.addInput({
    txid: p.vtxo.txid,
    index: p.vtxo.vout,
    sequence: prepared.cltv === undefined ? FINAL_SEQUENCE : CLTV_SEQUENCE,
    witnessUtxo: { script: prepared.pkScript, amount: p.vtxo.amountSats },
    tapLeafScript: [[prepared.cb, withLeafVersion(p.vtxo.leafScript)]],
  });
  tx.addInput({
    txid: p.connector.txid,
    index: p.connector.vout,
    sequence: FINAL_SEQUENCE,
    witnessUtxo: { script: p.connector.script, amount: p.connector.amountSats },
  });
  tx.addOutput({ script: p.forfeitScript, amount: p.vtxo.amountSats + p.connector.amountSats });
  tx.addOutput({ script: P2A_SCRIPT, amount: 0n });
  signTapscriptInput(tx, 0, p.signer, { leafScript: p.vtxo.leafScript });
  return tx;
}
