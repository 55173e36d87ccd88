/**
 * Builds NBXplorer's UTXO answer (`{confirmed, unconfirmed}` with `spentOutpoints`) for a set of
 * owned scripts from the chain index. Pure.
 *
 * Rules (NBXplorer's): an output of a mined transaction is a confirmed UTXO unless a mined
 * transaction spends it; an output of a mempool transaction is an unconfirmed UTXO; an outpoint
 * spent by a mempool transaction stays listed and is named in `unconfirmed.spentOutpoints`
 * (arkd-wallet drops every listed spent outpoint). Immature coinbase outputs are left out.
 */
import { COINBASE_MATURITY, outpointKey, type ChainIndex } from "./chain-index.js";
import type { Feature, UtxoEntry, UtxosResponse } from "./types.js";

export interface OwnedScript {
  readonly scriptPubKey: string;
  readonly address: string;
  readonly keyPath?: string;
  readonly keyIndex?: number;
  readonly feature?: Feature;
}

/** The UTXO answer for `owned` scripts at the index's current height. */
export function buildUtxos(
  index: ChainIndex,
  owned: Iterable<OwnedScript>,
  trackedSource: string,
  derivationStrategy?: string,
): UtxosResponse {
  const confirmed: UtxoEntry[] = [];
  const unconfirmed: UtxoEntry[] = [];
  const spentUnconfirmed: UtxoEntry[] = [];
  const unconfirmedSpent: string[] = [];
  for (const owner of owned) {
    for (const out of index.outputsForScript(owner.scriptPubKey)) {
      const tx = index.getTx(out.txid);
      if (!tx) continue;
      // Immature coinbase outputs are not spendable; NBXplorer does not offer them either.
      if (tx.coinbase && index.confirmations(tx.txid) < COINBASE_MATURITY) continue;
      const key = outpointKey(out.txid, out.vout);
      const spender = index.spenderOf(key);
      const spenderTx = spender === undefined ? undefined : index.getTx(spender);
      if (spenderTx?.status.confirmed) continue;
      const entry: UtxoEntry = {
        ...(owner.feature === undefined ? {} : { feature: owner.feature }),
        outpoint: key,
        index: out.vout,
        transactionHash: out.txid,
        scriptPubKey: out.scriptPubKey,
        address: owner.address,
        value: Number(out.valueSats),
        ...(owner.keyPath === undefined ? {} : { keyPath: owner.keyPath, keyIndex: owner.keyIndex ?? 0 }),
        timestamp: tx.status.confirmed ? tx.status.time : tx.firstSeen,
        confirmations: index.confirmations(out.txid),
      };
      (tx.status.confirmed ? confirmed : unconfirmed).push(entry);
      if (spenderTx) {
        unconfirmedSpent.push(key);
        spentUnconfirmed.push(entry);
      }
    }
  }
  const byAge = (a: UtxoEntry, b: UtxoEntry): number =>
    b.confirmations - a.confirmations || a.outpoint.localeCompare(b.outpoint);
  return {
    trackedSource,
    ...(derivationStrategy === undefined ? {} : { derivationStrategy }),
    currentHeight: index.height,
    unconfirmed: { utxOs: unconfirmed.sort(byAge), spentOutpoints: unconfirmedSpent.sort() },
    confirmed: { utxOs: confirmed.sort(byAge), spentOutpoints: [] },
    spentUnconfirmed,
  };
}
