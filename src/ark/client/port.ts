import type { ArkdInfo } from "./map-info.js";
import type {
  ArkCallOptions,
  ArkStream,
  BatchStreamEvent,
  CommitmentTxInfo,
  IntentProof,
  StreamTopics,
  SubmittedArkTx,
  SubscriptionStreamEvent,
  TopicsChange,
  TransactionsStreamEvent,
  VirtualTxPage,
  VtxoPage,
  VtxoQuery,
  PageRequest,
  VirtualTxsAuth,
} from "./types.js";

/*
 * What the swap engine and the wallet need from arkd, in domain types. Every method rejects
 * only with GatewayError (`ark.*` codes, see errors.ts); `retryable` says whether trying again
 * later makes sense. Unary calls carry a deadline (ArkCallOptions.timeoutMs or the adapter's
 * default). Streams never end silently (see ArkStream).
 */

export interface ArkStreamOptions {
  /** Fail with `ark.stream_stalled` after this long without any message (heartbeats count). */
  readonly idleTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** ArkService: server facts, offchain txs, batches. */
export interface ArkServicePort {
  /** GetInfo, mapped to ArkServerInfo (+ fees). */
  getInfo(opts?: ArkCallOptions): Promise<ArkdInfo>;

  /** SubmitTx: the signed Ark tx and its unsigned checkpoints (base64 PSBTs). */
  submitTx(
    req: { readonly signedArkTx: string; readonly checkpointTxs: readonly string[] },
    opts?: ArkCallOptions,
  ): Promise<SubmittedArkTx>;

  /** FinalizeTx: the fully signed checkpoints of a submitted Ark tx. */
  finalizeTx(
    req: { readonly arkTxid: string; readonly finalCheckpointTxs: readonly string[] },
    opts?: ArkCallOptions,
  ): Promise<void>;

  /** GetPendingTx: submitted but not finalized Ark txs spending the intent's inputs. */
  getPendingTxs(intent: IntentProof, opts?: ArkCallOptions): Promise<SubmittedArkTx[]>;

  /** RegisterIntent: returns the intent id. */
  registerIntent(intent: IntentProof, opts?: ArkCallOptions): Promise<string>;
  /** EstimateIntentFee: fee in sats. */
  estimateIntentFee(intent: IntentProof, opts?: ArkCallOptions): Promise<bigint>;
  deleteIntent(intent: IntentProof, opts?: ArkCallOptions): Promise<void>;
  confirmRegistration(intentId: string, opts?: ArkCallOptions): Promise<void>;
  submitTreeNonces(
    req: {
      readonly batchId: string;
      readonly pubkey: string;
      readonly treeNonces: ReadonlyMap<string, string>;
    },
    opts?: ArkCallOptions,
  ): Promise<void>;
  submitTreeSignatures(
    req: {
      readonly batchId: string;
      readonly pubkey: string;
      readonly treeSignatures: ReadonlyMap<string, string>;
    },
    opts?: ArkCallOptions,
  ): Promise<void>;
  submitSignedForfeitTxs(
    req: { readonly signedForfeitTxs: readonly string[]; readonly signedCommitmentTx?: string },
    opts?: ArkCallOptions,
  ): Promise<void>;

  /** GetEventStream: batch events for the topics (outpoints "txid:vout", cosigner pubkeys). */
  streamBatchEvents(topics: readonly string[], opts?: ArkStreamOptions): ArkStream<BatchStreamEvent>;
  /** UpdateStreamTopics of an open event stream (id from its stream_started event). */
  updateStreamTopics(streamId: string, change: TopicsChange, opts?: ArkCallOptions): Promise<StreamTopics>;

  /** GetTransactionsStream: every commitment, Ark and sweep tx arkd processes. */
  streamTransactions(opts?: ArkStreamOptions): ArkStream<TransactionsStreamEvent>;
}

/** IndexerService: VTXOs, virtual txs, script subscriptions. */
export interface ArkIndexerPort {
  /** GetCommitmentTx: when a batch ran and what it produced. */
  getCommitmentTx(txid: string, opts?: ArkCallOptions): Promise<CommitmentTxInfo>;

  /** GetVtxos: one page (or everything when no page is given). */
  getVtxos(query: VtxoQuery, opts?: ArkCallOptions): Promise<VtxoPage>;

  /**
   * GetVirtualTxs: base64 PSBTs of offchain txs (e.g. to read a revealed preimage from an
   * input's `condition` field). arkd's tx exposure setting decides whether `auth` is needed:
   * "public" never, "withheld" strips the server's signatures without it (the condition field
   * stays), "private" refuses without it. An intent proves ownership of the txs' inputs.
   */
  getVirtualTxs(
    req: {
      readonly txids: readonly string[];
      readonly page?: PageRequest;
      readonly auth?: VirtualTxsAuth;
    },
    opts?: ArkCallOptions,
  ): Promise<VirtualTxPage>;

  /** SubscribeForScripts: creates (or extends, given its id) a subscription; returns its id. */
  subscribeForScripts(
    scripts: readonly string[],
    subscriptionId?: string,
    opts?: ArkCallOptions,
  ): Promise<string>;
  /** UnsubscribeForScripts: removes scripts (all when none are given). */
  unsubscribeForScripts(
    subscriptionId: string,
    scripts?: readonly string[],
    opts?: ArkCallOptions,
  ): Promise<void>;

  /**
   * GetSubscription: events for the subscription's scripts. Attach within arkd's timeout
   * (1 min by default) after subscribeForScripts or the subscription is dropped.
   */
  streamSubscription(subscriptionId: string, opts?: ArkStreamOptions): ArkStream<SubscriptionStreamEvent>;
}

/** Everything the gateway uses from one arkd. */
export interface ArkServerPort extends ArkServicePort, ArkIndexerPort {
  /** Releases the connection; further calls fail with `ark.client_misconfigured`. */
  close(): void;
}
