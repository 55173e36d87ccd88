/**
 * When a VTXO really stops being safe to hold: the sweep deadline of the batch(es) it descends
 * from, in the server's locktime unit (block height when arkd's VTXO tree expiry is block-typed,
 * unix seconds otherwise). arkd's own `Vtxo.expires_at` is not that number:
 *
 * - It is always unix seconds: the batch's end + the tree expiry "in seconds". With a block-typed
 *   expiry of N blocks, arkd v0.9.15 counts N × SECONDS_PER_BLOCK with SECONDS_PER_BLOCK = 1, so
 *   on regtest it reads "batch time + 144 s" while the sweep really comes at the commitment tx's
 *   confirmation height + N. In block mode the deadline is therefore derived from the chain:
 *   min over the VTXO's commitment txs of (confirmation height + N), N = the batch's
 *   `expires_at − ended_at` (arkd's own arithmetic undone; anything ≥ 512 is refused as not
 *   block-typed). A commitment not yet confirmed counts as confirming at the next block (the
 *   earliest, so the safe side).
 * - In seconds mode arkd moves `expires_at` to the commitment's block time + expiry once it
 *   confirms; before that it is the batch's end + expiry, which is earlier. Either way it is never
 *   later than the real sweep, so the deadline is the minimum of the VTXO's own `expires_at` and
 *   its batches' `expires_at` (a preconfirmed VTXO carries the earliest of its inputs').
 *
 * Unknown (no commitment txid, a batch arkd does not know): undefined, which callers treat as
 * "not usable where a deadline matters" (fail closed).
 */
import type { ChainBlocksPort } from "../../chain/port.js";
import type { BlockSummary } from "../../chain/raw-block.js";
import type { ArkIndexerPort, CommitmentTxInfo, Vtxo } from "../client/index.js";

export type DeadlineMode = "blocks" | "seconds";

/** The largest block-typed relative locktime (BIP68: a value ≥ 512 means seconds). */
const MAX_BLOCK_EXPIRY = 511n;
/** Block times may run up to 2 h ahead of the clock: look that far before a batch's end. */
const BLOCK_TIME_SLACK = 7_200;
/** Never scan more than this many blocks back for one commitment tx (two weeks of blocks). */
const MAX_SCAN_DEPTH = 2_016;
const MAX_CACHED_BLOCKS = 4_096;
/** Blocks requested ahead of the one being read during a scan. */
const SCAN_WINDOW = 8;

export interface BatchDeadlinesDeps {
  readonly mode: DeadlineMode;
  readonly indexer: Pick<ArkIndexerPort, "getCommitmentTx">;
  /** Required in block mode. */
  readonly chain?: ChainBlocksPort;
}

export class BatchDeadlines {
  /** Commitment txid → confirmation height (only confirmed ones are cached). */
  private readonly confirmedAt = new Map<string, number>();
  private readonly commitments = new Map<string, Promise<CommitmentTxInfo>>();
  /** Blocks read or being read, by height (bounded; a block at a height is read once). */
  private readonly blocks = new Map<number, Promise<BlockSummary>>();
  /** Commitment txid → the scan running for it (concurrent callers share one scan). */
  private readonly scans = new Map<string, Promise<number>>();
  /**
   * Commitment txid → the tip up to which every block was scanned without finding it: the next
   * lookup reads only the blocks above. Confirmed ones move to `confirmedAt`.
   */
  private readonly unconfirmedTo = new Map<string, number>();
  /** The tip being read (concurrent callers share the one call). */
  private tip: Promise<number> | undefined;

  constructor(private readonly deps: BatchDeadlinesDeps) {
    if (deps.mode === "blocks" && deps.chain === undefined)
      throw new Error("BatchDeadlines: block mode needs a chain reader");
  }

  get mode(): DeadlineMode {
    return this.deps.mode;
  }

  /**
   * @returns the VTXO's sweep deadline in the server's unit, or undefined when it cannot be known
   * @throws GatewayError `ark.*` / `ln.*` when arkd or the chain cannot be read
   */
  async deadlineOf(vtxo: Vtxo): Promise<bigint | undefined> {
    const txids =
      vtxo.commitmentTxids.length > 0 ? vtxo.commitmentTxids : vtxo.settledBy ? [vtxo.settledBy] : [];
    if (txids.length === 0) return undefined;
    let earliest: bigint | undefined =
      this.deps.mode === "seconds" && vtxo.expiresAt > 0n ? vtxo.expiresAt : undefined;
    for (const txid of new Set(txids)) {
      const d = await this.batchDeadline(txid);
      if (d === undefined) return undefined;
      if (earliest === undefined || d < earliest) earliest = d;
    }
    return earliest;
  }

  /** The sweep deadline of one commitment tx's batch (output 0: the VTXO tree). */
  private async batchDeadline(txid: string): Promise<bigint | undefined> {
    const info = await this.commitment(txid);
    const batch = info.batches.find((b) => b.vout === 0) ?? info.batches[0];
    if (batch === undefined) return undefined;
    if (this.deps.mode === "seconds") return batch.expiresAt;
    const expiry = batch.expiresAt - info.endedAt;
    if (expiry <= 0n || expiry > MAX_BLOCK_EXPIRY) return undefined;
    const height = await this.confirmationHeight(txid, Number(info.endedAt));
    return BigInt(height) + expiry;
  }

  private commitment(txid: string): Promise<CommitmentTxInfo> {
    let p = this.commitments.get(txid);
    if (p === undefined) {
      p = this.deps.indexer.getCommitmentTx(txid);
      this.commitments.set(txid, p);
      p.catch(() => this.commitments.delete(txid));
    }
    return p;
  }

  /** Height of the block holding `txid`, or the next block's height while it is unconfirmed. */
  private confirmationHeight(txid: string, endedAt: number): Promise<number> {
    const known = this.confirmedAt.get(txid);
    if (known !== undefined) return Promise.resolve(known);
    let scan = this.scans.get(txid);
    if (scan === undefined) {
      scan = this.scan(txid, endedAt).finally(() => this.scans.delete(txid));
      this.scans.set(txid, scan);
    }
    return scan;
  }

  /**
   * Looks for `txid` from the tip down to the blocks already scanned for it (or back to the
   * batch's time, or MAX_SCAN_DEPTH blocks). Blocks are cached by height, so, as before, a block
   * once read is taken to stay at its height.
   */
  private async scan(txid: string, endedAt: number): Promise<number> {
    const chain = this.deps.chain!;
    const tip = await this.tipHeight(chain);
    const scannedTo = this.unconfirmedTo.get(txid) ?? -1;
    const lowest = Math.max(scannedTo + 1, 0, tip - MAX_SCAN_DEPTH + 1);
    for (let h = tip; h >= lowest; h--) {
      // the next blocks down are requested while this one is read (a cold scan is one round trip per window)
      for (let ahead = h - 1; ahead >= Math.max(lowest, h - SCAN_WINDOW + 1); ahead--)
        void this.block(chain, ahead).catch(() => undefined);
      const block = await this.block(chain, h);
      if (block.txids.includes(txid)) {
        this.confirmedAt.set(txid, h);
        this.unconfirmedTo.delete(txid);
        return h;
      }
      if (block.time < endedAt - BLOCK_TIME_SLACK) break;
    }
    if (tip > scannedTo) this.unconfirmedTo.set(txid, tip);
    return tip + 1;
  }

  private tipHeight(chain: ChainBlocksPort): Promise<number> {
    this.tip ??= chain.tipHeight().finally(() => {
      this.tip = undefined;
    });
    return this.tip;
  }

  private block(chain: ChainBlocksPort, height: number): Promise<BlockSummary> {
    const cached = this.blocks.get(height);
    if (cached !== undefined) return cached;
    const block = chain.blockAt(height);
    if (this.blocks.size >= MAX_CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
    this.blocks.set(height, block);
    block.catch(() => this.blocks.delete(height));
    return block;
  }
}
