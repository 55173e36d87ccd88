/**
 * Keeps the chain index in step with btcd: connects new blocks (getblock verbosity 2), undoes
 * reorged ones, and mirrors the mempool (getrawmempool + getrawtransaction). Runs on a timer
 * and on demand (`refresh()`), so answers that depend on chain state can be made fresh first.
 */
import { btcToSats, type BtcdRpc, type BtcdTx } from "./btcd-rpc.js";
import type { ChainIndex, IndexedTx, TxStatus } from "./chain-index.js";

export interface SyncListener {
  /** A transaction was first seen ("new") or got mined ("confirmed"). */
  onTransaction(tx: IndexedTx, hexTx: string, change: "new" | "confirmed"): void;
  onBlock(height: number, hash: string, previousHash: string | undefined): void;
}

/** Drives {@link ChainIndex} from btcd. */
export class ChainSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private lastError: unknown;
  private btcdHeight = -1;

  constructor(
    private readonly rpc: BtcdRpc,
    private readonly index: ChainIndex,
    private readonly listener: SyncListener,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** btcd's block count seen by the last sync (-1 before the first). */
  get nodeHeight(): number {
    return this.btcdHeight;
  }

  /** The error of the last failed sync, cleared by a successful one. */
  get error(): unknown {
    return this.lastError;
  }

  /** Starts periodic syncing. */
  start(intervalMs: number): void {
    const tick = (): void => {
      this.refresh()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Resolves after a sync that started after this call completed (coalesced: concurrent callers
   * share the next run).
   * @throws the sync's error (btcd unreachable…).
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.syncOnce().finally(() => (this.running = undefined));
      return this.running;
    }
    if (!this.queued) {
      const current = this.running;
      this.queued = current
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.refresh();
        });
    }
    return this.queued;
  }

  private async syncOnce(): Promise<void> {
    try {
      await this.syncBlocks();
      await this.syncMempool();
      this.lastError = undefined;
    } catch (err) {
      this.lastError = err;
      throw err;
    }
  }

  private async syncBlocks(): Promise<void> {
    const count = await this.rpc.getBlockCount();
    this.btcdHeight = count;
    // Undo blocks that are no longer on btcd's best chain.
    while (this.index.height >= 0) {
      const h = this.index.height;
      const ours = this.index.blockHashAt(h);
      const theirs = h <= count ? await this.rpc.getBlockHash(h) : undefined;
      if (ours === theirs) break;
      this.index.disconnectTip();
    }
    for (let h = this.index.height + 1; h <= count; h++) {
      const hash = await this.rpc.getBlockHash(h);
      const { block, txs } = await this.rpc.getBlock(hash);
      const status: TxStatus = { confirmed: true, height: h, blockHash: hash, time: block.time };
      const touched: [IndexedTx, string, "new" | "confirmed"][] = [];
      for (const tx of txs) {
        const result = this.apply(tx, status, false);
        if (result) touched.push(result);
      }
      this.index.connectBlock(h, hash);
      this.listener.onBlock(h, hash, block.previousblockhash);
      // Announce after connecting so confirmations count this block.
      for (const [tx, hexTx, change] of touched) this.listener.onTransaction(tx, hexTx, change);
    }
  }

  private async syncMempool(): Promise<void> {
    const heightBefore = this.btcdHeight;
    const mempool = new Set(await this.rpc.getRawMempool());
    for (const txid of mempool) {
      if (this.index.getTx(txid)) continue;
      let tx: BtcdTx;
      try {
        tx = await this.rpc.getRawTransaction(txid);
      } catch {
        continue; // evicted or mined between the two calls; the next sync settles it
      }
      if (tx.blockhash) continue; // mined meanwhile; the block sync adds it with its height
      this.apply(tx, { confirmed: false, firstSeen: this.now() });
    }
    // A block mined between getblockcount and getrawmempool would make its transactions look
    // dropped; only prune when the tip did not move.
    if ((await this.rpc.getBlockCount()) !== heightBefore) return;
    for (const txid of this.index.staleMempool(mempool)) this.index.removeTx(txid);
  }

  private apply(
    tx: BtcdTx,
    status: TxStatus,
    announce = true,
  ): [IndexedTx, string, "new" | "confirmed"] | undefined {
    const inputs = tx.vin
      .filter((i) => i.coinbase === undefined && i.txid !== undefined && i.vout !== undefined)
      .map((i) => ({ txid: i.txid as string, vout: i.vout as number }));
    const outputs = tx.vout.map((o) => ({
      vout: o.n,
      scriptPubKey: o.scriptPubKey.hex,
      valueSats: btcToSats(o.value),
    }));
    const coinbase = tx.vin.some((i) => i.coinbase !== undefined);
    const change = this.index.addTx(tx.txid, inputs, outputs, status, this.now(), coinbase);
    if (change === "known") return undefined;
    const indexed = this.index.getTx(tx.txid);
    if (!indexed) return undefined;
    if (announce) this.listener.onTransaction(indexed, tx.hex, change);
    return [indexed, tx.hex, change];
  }
}
