/**
 * The NBXplorer-compatible service's state and operations, independent of HTTP: the chain index
 * fed by btcd, the tracking registry, UTXO scans and the event hub. Routes call into this.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { BtcdRpc, type BtcdRpcConfig } from "./btcd-rpc.js";
import { ChainIndex } from "./chain-index.js";
import { ChainSync } from "./chain-sync.js";
import { REGTEST, type ChainNetwork } from "./derivation.js";
import { EventHub, transactionEvents } from "./events.js";
import {
  DEFAULT_GAP,
  FEATURES,
  TrackingRegistry,
  type TrackedScheme,
  type TrackingSnapshot,
} from "./tracking.js";
import type { ScanProgressResponse } from "./types.js";

export interface ExplorerOptions {
  readonly btcd: BtcdRpcConfig;
  readonly network?: ChainNetwork;
  /** Poll interval of the btcd sync loop. */
  readonly pollMs?: number;
  readonly log?: (msg: string, fields?: Record<string, unknown>) => void;
  /**
   * JSON file keeping tracked schemes and groups across restarts (NBXplorer keeps them in its
   * database; arkd-wallet tracks its schemes only once, at wallet creation).
   */
  readonly statePath?: string;
}

/** The service core. */
export class Explorer {
  readonly rpc: BtcdRpc;
  readonly index = new ChainIndex();
  readonly registry: TrackingRegistry;
  readonly hub = new EventHub();
  readonly sync: ChainSync;
  readonly network: ChainNetwork;
  private readonly scans = new Map<string, ScanProgressResponse>();
  private readonly log: (msg: string, fields?: Record<string, unknown>) => void;

  constructor(private readonly options: ExplorerOptions) {
    this.network = options.network ?? REGTEST;
    this.rpc = new BtcdRpc(options.btcd);
    this.registry = new TrackingRegistry(this.network);
    this.log = options.log ?? (() => undefined);
    this.sync = new ChainSync(this.rpc, this.index, {
      onTransaction: (tx, hexTx, change) => {
        this.extendGaps(tx.outputs.map((o) => o.scriptPubKey));
        for (const data of transactionEvents(tx, hexTx, this.index, this.registry)) {
          this.hub.publishTransaction(data);
          this.log("newtransaction", { txid: tx.txid, source: data.trackedSource, change });
        }
      },
      onBlock: (height, hash, previousBlockHash) => {
        this.hub.publishBlock({
          height,
          hash,
          ...(previousBlockHash === undefined ? {} : { previousBlockHash }),
          cryptoCode: "BTC",
          confirmations: 0,
        });
      },
    });
  }

  /** Initial full sync, restore of the persisted tracking state, then the poll loop. */
  async start(): Promise<void> {
    await this.sync.refresh();
    if (this.options.statePath !== undefined && existsSync(this.options.statePath)) {
      const snapshot = JSON.parse(readFileSync(this.options.statePath, "utf8")) as TrackingSnapshot;
      this.registry.restore(snapshot, this.isUsed);
      this.log("restored tracking state", {
        schemes: snapshot.schemes.length,
        groups: snapshot.groups.length,
      });
    }
    this.sync.start(this.options.pollMs ?? 250);
    this.log("synced", { height: this.index.height });
  }

  stop(): void {
    this.sync.stop();
    this.hub.closeAll();
  }

  readonly isUsed = (script: string): boolean => this.index.isScriptUsed(script);

  /** Track (idempotent). @throws {Error} for an unparseable scheme. */
  track(scheme: string): TrackedScheme {
    const known = this.registry.getScheme(scheme);
    if (known) return known;
    const tracked = this.registry.trackScheme(scheme, this.isUsed);
    this.persist();
    return tracked;
  }

  /** Writes the tracking state (atomically) when a state file is configured. */
  persist(): void {
    const path = this.options.statePath;
    if (path === undefined) return;
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.registry.snapshot()));
    renameSync(tmp, path);
  }

  /**
   * NBXplorer's UTXO-set scan: derive each feature until `gapLimit` consecutive unused scripts
   * follow the last used one. Our index already holds every output of the chain, so "scanning"
   * is deriving and looking up; it runs in the background and reports progress.
   */
  startScan(scheme: TrackedScheme, gapLimit: number): void {
    const queuedAt = Math.floor(Date.now() / 1000);
    this.scans.set(scheme.scheme, { queuedAt, status: "Pending", progress: progress(queuedAt, 0, 0) });
    const run = async (): Promise<void> => {
      const highest: { deposit?: number; change?: number } = {};
      let searched = 0;
      for (const [i, feature] of FEATURES.entries()) {
        let lastUsed = -1;
        for (let idx = 0; idx - lastUsed <= gapLimit; idx++) {
          scheme.deriveUpTo(feature, idx + 1);
          const s = scheme.scripts(feature)[idx];
          if (s && this.isUsed(s.scriptPubKey)) lastUsed = idx;
          searched++;
          // Yield now and then so HTTP stays responsive during long scans.
          if (searched % 200 === 0) {
            const pct = Math.min(
              99,
              Math.floor(((i + idx / (lastUsed + 1 + gapLimit)) / FEATURES.length) * 100),
            );
            this.scans.set(scheme.scheme, {
              queuedAt,
              status: "Pending",
              progress: progress(queuedAt, pct, searched),
            });
            await new Promise((r) => setImmediate(r));
          }
        }
        if (lastUsed >= 0) highest[feature === "Deposit" ? "deposit" : "change"] = lastUsed;
      }
      scheme.ensureGap(this.isUsed, DEFAULT_GAP);
      const done = progress(queuedAt, 100, searched);
      this.scans.set(scheme.scheme, {
        queuedAt,
        status: "Complete",
        progress: { ...done, completedAt: Math.floor(Date.now() / 1000), highestKeyIndexFound: highest },
      });
    };
    run().catch((err: unknown) =>
      this.scans.set(scheme.scheme, { queuedAt, status: "Error", error: String(err) }),
    );
  }

  scanStatus(scheme: string): ScanProgressResponse | undefined {
    return this.scans.get(scheme);
  }

  private extendGaps(scripts: readonly string[]): void {
    const touched = new Set<TrackedScheme>();
    for (const script of scripts) {
      for (const owner of this.registry.ownersOf(script)) {
        if (owner.kind !== "scheme") continue;
        const tracked = this.registry.getScheme(owner.scheme);
        if (tracked) touched.add(tracked);
      }
    }
    for (const tracked of touched) tracked.ensureGap(this.isUsed);
  }
}

function progress(
  startedAt: number,
  overall: number,
  searched: number,
): NonNullable<ScanProgressResponse["progress"]> {
  return {
    startedAt,
    found: 0,
    batchNumber: 0,
    remainingBatches: 0,
    currentBatchProgress: overall,
    remainingSeconds: 0,
    overallProgress: overall,
    from: 0,
    count: searched,
    totalSearched: searched,
    highestKeyIndexFound: {},
  };
}
