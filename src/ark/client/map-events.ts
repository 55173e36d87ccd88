import { arkError } from "./errors.js";
import { int64 } from "./longs.js";
import { mapTxDataMap, mapTxNotification, mapVtxos } from "./map-vtxo.js";
import type { BatchStreamEvent, SubscriptionStreamEvent, TransactionsStreamEvent } from "./types.js";
import type {
  WireEventStreamResponse,
  WireSubscriptionResponse,
  WireTransactionsStreamResponse,
} from "./wire-types.js";

/*
 * Stream message mappers. A message whose oneof is unset (an event type newer than our
 * protos: its field is unknown to the decoder) maps to undefined and is skipped by the
 * stream, so arkd adding an event type never breaks the gateway.
 */

function present<T>(value: T | null | undefined, field: string): T {
  if (value == null) {
    throw arkError("ark.invalid_response", `arkd sent an empty ${field}`, { field });
  }
  return value;
}

const toMap = (m: Record<string, string> | undefined): ReadonlyMap<string, string> =>
  new Map(Object.entries(m ?? {}));

function childrenMap(m: Record<string, string> | undefined): ReadonlyMap<number, string> {
  const out = new Map<number, string>();
  for (const [k, v] of Object.entries(m ?? {})) out.set(Number(k), v);
  return out;
}

/**
 * Maps one GetEventStream message.
 * @returns the event, or undefined for an event type unknown to our protos
 * @throws GatewayError `ark.invalid_response` on a malformed message
 */
export function mapBatchEvent(msg: WireEventStreamResponse): BatchStreamEvent | undefined {
  switch (msg.event) {
    case "stream_started":
      return { type: "stream_started", streamId: present(msg.stream_started, "stream_started").id };
    case "heartbeat":
      return { type: "heartbeat" };
    case "batch_started": {
      const e = present(msg.batch_started, "batch_started");
      return {
        type: "batch_started",
        batchId: e.id,
        intentIdHashes: [...(e.intent_id_hashes ?? [])],
        batchExpiry: int64(e.batch_expiry, "batch_started.batch_expiry"),
      };
    }
    case "tree_signing_started": {
      const e = present(msg.tree_signing_started, "tree_signing_started");
      return {
        type: "tree_signing_started",
        batchId: e.id,
        cosignerPubkeys: [...(e.cosigners_pubkeys ?? [])],
        unsignedCommitmentTx: e.unsigned_commitment_tx,
      };
    }
    case "tree_tx": {
      const e = present(msg.tree_tx, "tree_tx");
      return {
        type: "tree_tx",
        batchId: e.id,
        topics: [...(e.topic ?? [])],
        batchIndex: e.batch_index,
        txid: e.txid,
        tx: e.tx,
        children: childrenMap(e.children),
      };
    }
    case "tree_nonces": {
      const e = present(msg.tree_nonces, "tree_nonces");
      return {
        type: "tree_nonces",
        batchId: e.id,
        topics: [...(e.topic ?? [])],
        txid: e.txid,
        nonces: toMap(e.nonces),
      };
    }
    case "tree_nonces_aggregated": {
      const e = present(msg.tree_nonces_aggregated, "tree_nonces_aggregated");
      return { type: "tree_nonces_aggregated", batchId: e.id, treeNonces: toMap(e.tree_nonces) };
    }
    case "tree_signature": {
      const e = present(msg.tree_signature, "tree_signature");
      return {
        type: "tree_signature",
        batchId: e.id,
        topics: [...(e.topic ?? [])],
        batchIndex: e.batch_index,
        txid: e.txid,
        signature: e.signature,
      };
    }
    case "batch_finalization": {
      const e = present(msg.batch_finalization, "batch_finalization");
      return { type: "batch_finalization", batchId: e.id, commitmentTx: e.commitment_tx };
    }
    case "batch_finalized": {
      const e = present(msg.batch_finalized, "batch_finalized");
      return { type: "batch_finalized", batchId: e.id, commitmentTxid: e.commitment_txid };
    }
    case "batch_failed": {
      const e = present(msg.batch_failed, "batch_failed");
      return { type: "batch_failed", batchId: e.id, reason: e.reason };
    }
    default:
      return undefined;
  }
}

/**
 * Maps one GetTransactionsStream message.
 * @returns the event, or undefined for a kind unknown to our protos
 * @throws GatewayError `ark.invalid_response` on a malformed message
 */
export function mapTransactionsEvent(
  msg: WireTransactionsStreamResponse,
): TransactionsStreamEvent | undefined {
  switch (msg.data) {
    case "heartbeat":
      return { type: "heartbeat" };
    case "commitment_tx":
    case "ark_tx":
    case "sweep_tx":
      return {
        type: msg.data,
        tx: mapTxNotification(present(msg[msg.data], msg.data), msg.data),
      };
    default:
      return undefined;
  }
}

/**
 * Maps one GetSubscription message.
 * @returns the event, or undefined for a kind unknown to our protos
 * @throws GatewayError `ark.invalid_response` on a malformed message
 */
export function mapSubscriptionEvent(msg: WireSubscriptionResponse): SubscriptionStreamEvent | undefined {
  switch (msg.data) {
    case "heartbeat":
      return { type: "heartbeat" };
    case "subscription_started":
      return {
        type: "started",
        subscriptionId: present(msg.subscription_started, "subscription_started").subscription_id,
      };
    case "event": {
      const e = present(msg.event, "event");
      return {
        type: "tx",
        txid: e.txid,
        tx: e.tx === "" ? undefined : e.tx,
        scripts: [...(e.scripts ?? [])],
        newVtxos: mapVtxos(e.new_vtxos, "event.new_vtxos"),
        spentVtxos: mapVtxos(e.spent_vtxos, "event.spent_vtxos"),
        sweptVtxos: mapVtxos(e.swept_vtxos, "event.swept_vtxos"),
        checkpointTxs: mapTxDataMap(e.checkpoint_txs),
      };
    }
    default:
      return undefined;
  }
}
