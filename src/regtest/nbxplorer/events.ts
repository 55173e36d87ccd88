/**
 * WebSocket events (`/v1/cryptos/connect`): `newblock` per connected block and `newtransaction`
 * per (transaction, tracked source) pair whose outputs pay or inputs spend that source's
 * scripts, sent when first seen and again when mined. The builder is pure; the hub fans out.
 */
import type { WebSocket } from "ws";
import { outpointKey, type ChainIndex, type IndexedTx } from "./chain-index.js";
import type { ScriptOwner, TrackingRegistry } from "./tracking.js";
import type { ExplorerEvent, MatchedOutput, NewBlockEventData, NewTransactionEventData } from "./types.js";

/**
 * The newtransaction payloads for one transaction, one per tracked source it touches.
 * Inputs match through the spent output's script (looked up in the index).
 */
export function transactionEvents(
  tx: IndexedTx,
  hexTx: string,
  index: ChainIndex,
  registry: TrackingRegistry,
): NewTransactionEventData[] {
  const bySource = new Map<string, { owner: ScriptOwner; outputs: MatchedOutput[]; inputs: number }>();
  const entry = (owner: ScriptOwner): { owner: ScriptOwner; outputs: MatchedOutput[]; inputs: number } => {
    const source = owner.kind === "scheme" ? `DERIVATIONSCHEME:${owner.scheme}` : `GROUP:${owner.groupId}`;
    let e = bySource.get(source);
    if (!e) {
      e = { owner, outputs: [], inputs: 0 };
      bySource.set(source, e);
    }
    return e;
  };
  for (const out of tx.outputs) {
    for (const owner of registry.ownersOf(out.scriptPubKey)) {
      const matched: MatchedOutput =
        owner.kind === "scheme"
          ? {
              keyPath: owner.derived.keyPath,
              scriptPubKey: out.scriptPubKey,
              index: out.vout,
              keyIndex: owner.derived.index,
              feature: owner.derived.feature,
              value: Number(out.valueSats),
              address: owner.derived.address,
            }
          : {
              scriptPubKey: out.scriptPubKey,
              index: out.vout,
              value: Number(out.valueSats),
              address: owner.address,
            };
      entry(owner).outputs.push(matched);
    }
  }
  for (const input of tx.inputs) {
    const prev = index.getOutput(outpointKey(input.txid, input.vout));
    if (!prev) continue;
    for (const owner of registry.ownersOf(prev.scriptPubKey)) entry(owner).inputs++;
  }
  const status = tx.status;
  const result: NewTransactionEventData[] = [];
  for (const [trackedSource, e] of bySource) {
    result.push({
      ...(status.confirmed ? { blockId: status.blockHash } : {}),
      trackedSource,
      ...(e.owner.kind === "scheme" ? { derivationStrategy: e.owner.scheme } : {}),
      cryptoCode: "BTC",
      outputs: e.outputs,
      inputs: tx.inputs
        .filter((i) => {
          const prev = index.getOutput(outpointKey(i.txid, i.vout));
          return (
            prev !== undefined && registry.ownersOf(prev.scriptPubKey).some((o) => sameSource(o, e.owner))
          );
        })
        .map((i) => ({ transactionId: i.txid, index: i.vout })),
      transactionData: {
        transactionHash: tx.txid,
        confirmations: index.confirmations(tx.txid),
        ...(status.confirmed ? { height: status.height } : {}),
        timestamp: status.confirmed ? status.time : tx.firstSeen,
        transaction: hexTx,
      },
    });
  }
  return result;
}

function sameSource(a: ScriptOwner, b: ScriptOwner): boolean {
  if (a.kind === "scheme" && b.kind === "scheme") return a.scheme === b.scheme;
  if (a.kind === "group" && b.kind === "group") return a.groupId === b.groupId;
  return false;
}

/** Fans events out to every connected websocket (NBXplorer clients subscribe; we send all). */
export class EventHub {
  private readonly clients = new Set<WebSocket>();
  private nextId = 1;

  add(ws: WebSocket): void {
    this.clients.add(ws);
    ws.on("close", () => this.clients.delete(ws));
    ws.on("error", () => this.clients.delete(ws));
  }

  get size(): number {
    return this.clients.size;
  }

  publishTransaction(data: NewTransactionEventData): void {
    this.send({ eventId: this.nextId++, type: "newtransaction", data });
  }

  publishBlock(data: NewBlockEventData): void {
    this.send({ eventId: this.nextId++, type: "newblock", data });
  }

  closeAll(): void {
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
  }

  private send(event: ExplorerEvent): void {
    const text = JSON.stringify(event);
    for (const ws of this.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  }
}
