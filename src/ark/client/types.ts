/*
 * Domain shapes the arkd adapter hands to the rest of the gateway: camelCase, bigint for
 * every 64-bit value (amounts in sats, unix seconds, delays), empty strings from the wire
 * turned into `undefined`, outpoints as {txid, vout}. GetInfo maps to ArkServerInfo
 * (src/ark/server-info.ts).
 */
import type { EventStream } from "../../lib/event-stream.js";

export interface Outpoint {
  readonly txid: string;
  readonly vout: number;
}

export interface VtxoFlags {
  /** Created offchain and not yet settled in a batch. */
  readonly preconfirmed: boolean;
  /** Its batch output was swept by the server after expiry. */
  readonly swept: boolean;
  /** Brought onchain by a unilateral exit. */
  readonly unrolled: boolean;
  readonly spent: boolean;
}

export interface Vtxo {
  readonly outpoint: Outpoint;
  readonly amountSats: bigint;
  /** Hex of the full P2TR scriptPubKey (`5120` + 32-byte output key). */
  readonly script: string;
  /** Unix seconds, as arkd reports them. */
  readonly createdAt: bigint;
  /**
   * Straight from arkd: unix seconds, even on a block-typed server (see src/ark/expiry). Behind
   * `withBatchDeadlines` it is the batch's real sweep deadline in the server's locktime unit
   * (block height or unix seconds; 0 when unknown) and arkd's value moves to `arkdExpiresAt`.
   */
  readonly expiresAt: bigint;
  readonly arkdExpiresAt?: bigint;
  readonly flags: VtxoFlags;
  /** Txid of the (checkpoint) tx that spent it. */
  readonly spentBy: string | undefined;
  /** Txid of the Ark tx that spent it. */
  readonly arkTxid: string | undefined;
  /** Commitment txid of the batch that settled it. */
  readonly settledBy: string | undefined;
  readonly commitmentTxids: readonly string[];
  /** Number of offchain txs since the last batch. */
  readonly depth: number;
}

/** One batch output of a commitment transaction, as the indexer reports it. */
export interface CommitmentBatch {
  /** Output index of the batch in the commitment tx. */
  readonly vout: number;
  readonly totalOutputSats: bigint;
  /**
   * arkd's `expires_at`: always unix seconds, = the batch's end + the tree expiry in seconds
   * (a block-typed expiry of N blocks counts as N seconds in v0.9.15). See src/ark/expiry.
   */
  readonly expiresAt: bigint;
  readonly swept: boolean;
}

/** GetCommitmentTx: a batch's timing and outputs. */
export interface CommitmentTxInfo {
  readonly txid: string;
  /** Unix seconds. */
  readonly startedAt: bigint;
  /** Unix seconds: when arkd finalized the batch (the commitment tx is broadcast then). */
  readonly endedAt: bigint;
  /** Sorted by vout. */
  readonly batches: readonly CommitmentBatch[];
}

/** Mutually exclusive status filters of GetVtxos (they apply to script queries only). */
export type VtxoStatusFilter = "spendable" | "spent" | "recoverable" | "pending" | "renewable";

export interface PageRequest {
  /** 1-based page number. */
  readonly index: number;
  readonly size: number;
}

export interface PageInfo {
  readonly current: number;
  readonly next: number;
  readonly total: number;
}

/** Exactly one of scripts / outpoints must be non-empty. */
export interface VtxoQuery {
  readonly scripts?: readonly string[];
  readonly outpoints?: readonly Outpoint[];
  readonly status?: VtxoStatusFilter;
  readonly page?: PageRequest;
}

export interface VtxoPage {
  readonly vtxos: readonly Vtxo[];
  /** Absent when no page was requested (arkd then returns everything). */
  readonly page: PageInfo | undefined;
}

/** Proof of ownership for GetVirtualTxs: an auth token from the indexer, or an intent proof. */
export type VirtualTxsAuth = { readonly token: string } | { readonly intent: IntentProof };

export interface VirtualTxPage {
  /** Base64 PSBTs, in the order arkd returns them. */
  readonly txs: readonly string[];
  readonly page: PageInfo | undefined;
}

/** Result of SubmitTx, and one entry of GetPendingTx. */
export interface SubmittedArkTx {
  readonly arkTxid: string;
  /** Base64 PSBT of the Ark tx, co-signed by the server. */
  readonly finalArkTx: string;
  /** Base64 PSBTs of the checkpoints, signed by the server. */
  readonly signedCheckpointTxs: readonly string[];
}

/** A BIP-322-like intent proof: base64 PSBT + the JSON message it commits to. */
export interface IntentProof {
  readonly proof: string;
  readonly message: string;
}

export interface TxPayload {
  readonly txid: string;
  readonly tx: string;
}

export interface TxNotification {
  readonly txid: string;
  readonly tx: string;
  readonly spentVtxos: readonly Vtxo[];
  readonly spendableVtxos: readonly Vtxo[];
  /** Offchain txs only: spent outpoint ("txid:vout") -> its checkpoint tx. */
  readonly checkpointTxs: ReadonlyMap<string, TxPayload>;
  readonly sweptVtxos: readonly Outpoint[];
}

export type TransactionsStreamEvent =
  | { readonly type: "commitment_tx" | "ark_tx" | "sweep_tx"; readonly tx: TxNotification }
  | { readonly type: "heartbeat" };

export type SubscriptionStreamEvent =
  | { readonly type: "heartbeat" }
  | { readonly type: "started"; readonly subscriptionId: string }
  | {
      readonly type: "tx";
      readonly txid: string;
      /** Base64 PSBT of the tx, when arkd includes it. */
      readonly tx: string | undefined;
      readonly scripts: readonly string[];
      readonly newVtxos: readonly Vtxo[];
      readonly spentVtxos: readonly Vtxo[];
      readonly sweptVtxos: readonly Vtxo[];
      readonly checkpointTxs: ReadonlyMap<string, TxPayload>;
    };

export type BatchStreamEvent =
  | { readonly type: "stream_started"; readonly streamId: string }
  | { readonly type: "heartbeat" }
  | {
      readonly type: "batch_started";
      readonly batchId: string;
      readonly intentIdHashes: readonly string[];
      /** BIP68-style value (< 512 blocks, else seconds) of the batch's VTXO tree expiry. */
      readonly batchExpiry: bigint;
    }
  | {
      readonly type: "tree_signing_started";
      readonly batchId: string;
      readonly cosignerPubkeys: readonly string[];
      readonly unsignedCommitmentTx: string;
    }
  | {
      readonly type: "tree_tx";
      readonly batchId: string;
      readonly topics: readonly string[];
      /** 0 = VTXO tree, 1 = connector tree. */
      readonly batchIndex: number;
      readonly txid: string;
      readonly tx: string;
      /** Output index -> child txid. */
      readonly children: ReadonlyMap<number, string>;
    }
  | {
      readonly type: "tree_nonces";
      readonly batchId: string;
      readonly topics: readonly string[];
      readonly txid: string;
      /** Cosigner pubkey -> musig2 public nonce (hex). */
      readonly nonces: ReadonlyMap<string, string>;
    }
  | {
      readonly type: "tree_nonces_aggregated";
      readonly batchId: string;
      readonly treeNonces: ReadonlyMap<string, string>;
    }
  | {
      readonly type: "tree_signature";
      readonly batchId: string;
      readonly topics: readonly string[];
      readonly batchIndex: number;
      readonly txid: string;
      readonly signature: string;
    }
  | { readonly type: "batch_finalization"; readonly batchId: string; readonly commitmentTx: string }
  | { readonly type: "batch_finalized"; readonly batchId: string; readonly commitmentTxid: string }
  | { readonly type: "batch_failed"; readonly batchId: string; readonly reason: string };

/** Change of the topics of an open batch event stream. */
export type TopicsChange =
  | { readonly add?: readonly string[]; readonly remove?: readonly string[] }
  | { readonly overwrite: readonly string[] };

export interface StreamTopics {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly all: readonly string[];
}

/**
 * A server stream. Iterating yields events until the caller stops; a stream never ends
 * silently: an end or a failure on the server's side makes the iteration throw a
 * GatewayError (`ark.stream_ended`, `ark.unavailable`, `ark.stream_stalled`, ...).
 * close() (or breaking out of a for-await loop) cancels the call; iteration then simply ends.
 */
export type ArkStream<T> = EventStream<T>;

/** Per-call options. */
export interface ArkCallOptions {
  /** Deadline of this call, in ms from now (default: the client's defaultTimeoutMs). */
  readonly timeoutMs?: number;
  /** Aborting cancels the call; it then rejects with `ark.cancelled`. */
  readonly signal?: AbortSignal;
}

/** arkd's intent fee programs (CEL source, evaluated by arkd) and its onchain fee rate. */
export interface ArkFees {
  readonly intentFee: {
    readonly offchainInput: string;
    readonly offchainOutput: string;
    readonly onchainInput: string;
    readonly onchainOutput: string;
  };
  /** sat/vB as arkd formats it (decimal string). */
  readonly txFeeRate: string;
}

export interface DeprecatedSigner {
  readonly pubkey: string;
  /** Unix seconds after which VTXOs under this key are no longer co-signed. */
  readonly cutoffDate: bigint;
}
