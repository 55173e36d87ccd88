/**
 * Pure bookkeeping of every transaction output on the (small) regtest chain and of who spends
 * it, confirmed or in the mempool. Tracking a script later is then a lookup, not a rescan, and
 * "is this outpoint spent in the mempool?" (Bitcoin Core's gettxout semantics, which btcd lacks)
 * is answered here. No IO: the sync loop feeds it.
 */

export interface IndexedOutput {
  readonly txid: string;
  readonly vout: number;
  readonly scriptPubKey: string;
  readonly valueSats: bigint;
}

export interface TxInput {
  readonly txid: string;
  readonly vout: number;
}

export type TxStatus =
  | { readonly confirmed: true; readonly height: number; readonly blockHash: string; readonly time: number }
  | { readonly confirmed: false; readonly firstSeen: number };

export interface IndexedTx {
  readonly txid: string;
  readonly inputs: readonly TxInput[];
  readonly outputs: readonly IndexedOutput[];
  status: TxStatus;
  /** Coinbase outputs are spendable only after {@link COINBASE_MATURITY} confirmations. */
  readonly coinbase: boolean;
  /** Unix seconds this service first saw the transaction. */
  readonly firstSeen: number;
}

/** Confirmations a coinbase output needs before it can be spent. */
export const COINBASE_MATURITY = 100;

/** `"<txid>-<vout>"`, NBXplorer's outpoint notation. */
export function outpointKey(txid: string, vout: number): string {
  return `${txid}-${String(vout)}`;
}

/** The UTXO/spend index. */
export class ChainIndex {
  private readonly txs = new Map<string, IndexedTx>();
  private readonly outputs = new Map<string, IndexedOutput>();
  private readonly byScript = new Map<string, Set<string>>();
  /** outpoint key → txid of the transaction spending it. */
  private readonly spends = new Map<string, string>();
  /** height → block hash of the indexed best chain. */
  private readonly blocks = new Map<number, string>();
  private tip = -1;

  /** Height of the last connected block (-1 before the genesis block is indexed). */
  get height(): number {
    return this.tip;
  }

  blockHashAt(height: number): string | undefined {
    return this.blocks.get(height);
  }

  getTx(txid: string): IndexedTx | undefined {
    return this.txs.get(txid);
  }

  getOutput(key: string): IndexedOutput | undefined {
    return this.outputs.get(key);
  }

  /** Txid spending the outpoint (confirmed or mempool), if any. */
  spenderOf(key: string): string | undefined {
    return this.spends.get(key);
  }

  /** Every indexed output (spent or not) paying `scriptPubKey`. */
  outputsForScript(scriptPubKey: string): IndexedOutput[] {
    const keys = this.byScript.get(scriptPubKey);
    if (!keys) return [];
    const result: IndexedOutput[] = [];
    for (const key of keys) {
      const out = this.outputs.get(key);
      if (out) result.push(out);
    }
    return result;
  }

  /** True when any transaction ever paid `scriptPubKey` (NBXplorer's notion of a used address). */
  isScriptUsed(scriptPubKey: string): boolean {
    return (this.byScript.get(scriptPubKey)?.size ?? 0) > 0;
  }

  /** Unconfirmed transactions, in insertion order. */
  mempoolTxids(): string[] {
    return [...this.txs.values()].filter((t) => !t.status.confirmed).map((t) => t.txid);
  }

  /** Confirmations of a transaction at the current tip (0 when unconfirmed or unknown). */
  confirmations(txid: string): number {
    const tx = this.txs.get(txid);
    if (!tx?.status.confirmed) return 0;
    return this.tip - tx.status.height + 1;
  }

  /**
   * Adds a transaction, or updates its status when already known (mempool → block).
   * @returns "new" when first seen, "confirmed" when an unconfirmed one got mined, else "known".
   */
  addTx(
    txid: string,
    inputs: readonly TxInput[],
    outputs: readonly Omit<IndexedOutput, "txid">[],
    status: TxStatus,
    now: number,
    coinbase = false,
  ): "new" | "confirmed" | "known" {
    const existing = this.txs.get(txid);
    if (existing) {
      this.claimInputs(txid, existing.inputs);
      if (status.confirmed && !existing.status.confirmed) {
        existing.status = status;
        return "confirmed";
      }
      if (status.confirmed) existing.status = status;
      return "known";
    }
    const indexed: IndexedTx = {
      txid,
      inputs: [...inputs],
      outputs: outputs.map((o) => ({ ...o, txid })),
      status,
      coinbase,
      firstSeen: now,
    };
    this.txs.set(txid, indexed);
    for (const out of indexed.outputs) {
      const key = outpointKey(txid, out.vout);
      this.outputs.set(key, out);
      let set = this.byScript.get(out.scriptPubKey);
      if (!set) {
        set = new Set();
        this.byScript.set(out.scriptPubKey, set);
      }
      set.add(key);
    }
    this.claimInputs(txid, inputs);
    return "new";
  }

  /** Records a connected block after its transactions were added with confirmed status. */
  connectBlock(height: number, hash: string): void {
    if (height !== this.tip + 1) throw new Error(`connectBlock ${height} but tip is ${this.tip}`);
    this.blocks.set(height, hash);
    this.tip = height;
  }

  /**
   * Disconnects the tip block (reorg): its transactions are removed entirely; those still valid
   * come back from the mempool on the next sync.
   * @returns the txids removed.
   */
  disconnectTip(): string[] {
    const height = this.tip;
    const hash = this.blocks.get(height);
    if (hash === undefined) return [];
    const removed: string[] = [];
    for (const tx of [...this.txs.values()]) {
      if (tx.status.confirmed && tx.status.blockHash === hash) {
        this.removeTx(tx.txid);
        removed.push(tx.txid);
      }
    }
    this.blocks.delete(height);
    this.tip = height - 1;
    return removed;
  }

  /** Removes a transaction (dropped from the mempool or disconnected) and its descendants' claims. */
  removeTx(txid: string): void {
    const tx = this.txs.get(txid);
    if (!tx) return;
    this.txs.delete(txid);
    for (const input of tx.inputs) {
      const key = outpointKey(input.txid, input.vout);
      if (this.spends.get(key) === txid) this.spends.delete(key);
    }
    for (const out of tx.outputs) {
      const key = outpointKey(txid, out.vout);
      this.outputs.delete(key);
      const set = this.byScript.get(out.scriptPubKey);
      set?.delete(key);
      if (set?.size === 0) this.byScript.delete(out.scriptPubKey);
    }
  }

  /** Transactions whose status says they are in the mempool but btcd no longer has them. */
  staleMempool(currentMempool: ReadonlySet<string>): string[] {
    return this.mempoolTxids().filter((txid) => !currentMempool.has(txid));
  }

  private claimInputs(txid: string, inputs: readonly TxInput[]): void {
    for (const input of inputs) this.spends.set(outpointKey(input.txid, input.vout), txid);
  }
}
