import type { ServiceDefinition } from "@grpc/grpc-js";
import { int64 } from "./longs.js";
import { mapBatchEvent, mapTransactionsEvent } from "./map-events.js";
import { mapGetInfo, type ArkdInfo } from "./map-info.js";
import { mapSubmitted } from "./map-vtxo.js";
import type { ArkServicePort, ArkStreamOptions } from "./port.js";
import type { RpcChannel } from "./rpc-channel.js";
import { openServerStream } from "./server-stream.js";
import type {
  ArkCallOptions,
  ArkStream,
  BatchStreamEvent,
  IntentProof,
  StreamTopics,
  SubmittedArkTx,
  TopicsChange,
  TransactionsStreamEvent,
} from "./types.js";
import {
  requireBase64,
  requireBase64List,
  requireHex,
  requireIntent,
  requireNonEmpty,
  requireTxid,
} from "./validate.js";
import type {
  WireEventStreamResponse,
  WireGetInfoResponse,
  WireGetPendingTxResponse,
  WireSubmitTxResponse,
  WireTransactionsStreamResponse,
  WireUpdateStreamTopicsResponse,
} from "./wire-types.js";

const wireIntent = (i: IntentProof): object => ({ proof: i.proof, message: i.message });

function hexMap(m: ReadonlyMap<string, string>, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [txid, value] of m) {
    requireTxid(txid, `${field} key`);
    requireHex(value, `${field}[${txid}]`);
    out[txid] = value;
  }
  return out;
}

/** ArkServicePort over grpc-js. */
export class GrpcArkService implements ArkServicePort {
  readonly #rpc: RpcChannel;
  readonly #svc: ServiceDefinition;
  readonly #onInfo: (info: ArkdInfo) => void;

  /**
   * @param rpc the shared channel
   * @param svc the loaded ark.v1.ArkService definition
   * @param onInfo called with every successful GetInfo (the client tracks the digest)
   */
  constructor(rpc: RpcChannel, svc: ServiceDefinition, onInfo: (info: ArkdInfo) => void) {
    this.#rpc = rpc;
    this.#svc = svc;
    this.#onInfo = onInfo;
  }

  async getInfo(opts?: ArkCallOptions): Promise<ArkdInfo> {
    const res = await this.#rpc.unary<WireGetInfoResponse>(this.#svc, "GetInfo", {}, opts);
    const info = mapGetInfo(res);
    this.#onInfo(info);
    return info;
  }

  async submitTx(
    req: { readonly signedArkTx: string; readonly checkpointTxs: readonly string[] },
    opts?: ArkCallOptions,
  ): Promise<SubmittedArkTx> {
    requireBase64(req.signedArkTx, "signedArkTx");
    requireBase64List(req.checkpointTxs, "checkpointTxs");
    const res = await this.#rpc.unary<WireSubmitTxResponse>(
      this.#svc,
      "SubmitTx",
      { signed_ark_tx: req.signedArkTx, checkpoint_txs: [...req.checkpointTxs] },
      opts,
    );
    return mapSubmitted(res, "SubmitTx");
  }

  async finalizeTx(
    req: { readonly arkTxid: string; readonly finalCheckpointTxs: readonly string[] },
    opts?: ArkCallOptions,
  ): Promise<void> {
    requireTxid(req.arkTxid, "arkTxid");
    requireBase64List(req.finalCheckpointTxs, "finalCheckpointTxs");
    await this.#rpc.unary(
      this.#svc,
      "FinalizeTx",
      { ark_txid: req.arkTxid, final_checkpoint_txs: [...req.finalCheckpointTxs] },
      opts,
    );
  }

  async getPendingTxs(intent: IntentProof, opts?: ArkCallOptions): Promise<SubmittedArkTx[]> {
    requireIntent(intent);
    const res = await this.#rpc.unary<WireGetPendingTxResponse>(
      this.#svc,
      "GetPendingTx",
      { intent: wireIntent(intent) },
      opts,
    );
    return (res.pending_txs ?? []).map((p) => mapSubmitted(p, "GetPendingTx"));
  }

  async registerIntent(intent: IntentProof, opts?: ArkCallOptions): Promise<string> {
    requireIntent(intent);
    const res = await this.#rpc.unary<{ intent_id: string }>(
      this.#svc,
      "RegisterIntent",
      { intent: wireIntent(intent) },
      opts,
    );
    return res.intent_id;
  }

  async estimateIntentFee(intent: IntentProof, opts?: ArkCallOptions): Promise<bigint> {
    requireIntent(intent);
    const res = await this.#rpc.unary<{ fee: string }>(
      this.#svc,
      "EstimateIntentFee",
      { intent: wireIntent(intent) },
      opts,
    );
    return int64(res.fee, "EstimateIntentFee.fee");
  }

  async deleteIntent(intent: IntentProof, opts?: ArkCallOptions): Promise<void> {
    requireIntent(intent);
    await this.#rpc.unary(this.#svc, "DeleteIntent", { intent: wireIntent(intent) }, opts);
  }

  async confirmRegistration(intentId: string, opts?: ArkCallOptions): Promise<void> {
    requireNonEmpty(intentId, "intentId");
    await this.#rpc.unary(this.#svc, "ConfirmRegistration", { intent_id: intentId }, opts);
  }

  async submitTreeNonces(
    req: { batchId: string; pubkey: string; treeNonces: ReadonlyMap<string, string> },
    opts?: ArkCallOptions,
  ): Promise<void> {
    requireNonEmpty(req.batchId, "batchId");
    requireHex(req.pubkey, "pubkey");
    const tree_nonces = hexMap(req.treeNonces, "treeNonces");
    await this.#rpc.unary(
      this.#svc,
      "SubmitTreeNonces",
      { batch_id: req.batchId, pubkey: req.pubkey, tree_nonces },
      opts,
    );
  }

  async submitTreeSignatures(
    req: { batchId: string; pubkey: string; treeSignatures: ReadonlyMap<string, string> },
    opts?: ArkCallOptions,
  ): Promise<void> {
    requireNonEmpty(req.batchId, "batchId");
    requireHex(req.pubkey, "pubkey");
    const tree_signatures = hexMap(req.treeSignatures, "treeSignatures");
    await this.#rpc.unary(
      this.#svc,
      "SubmitTreeSignatures",
      { batch_id: req.batchId, pubkey: req.pubkey, tree_signatures },
      opts,
    );
  }

  async submitSignedForfeitTxs(
    req: { readonly signedForfeitTxs: readonly string[]; readonly signedCommitmentTx?: string },
    opts?: ArkCallOptions,
  ): Promise<void> {
    req.signedForfeitTxs.forEach((tx, i) => requireBase64(tx, `signedForfeitTxs[${i}]`));
    if (req.signedCommitmentTx !== undefined) {
      requireBase64(req.signedCommitmentTx, "signedCommitmentTx");
    }
    await this.#rpc.unary(
      this.#svc,
      "SubmitSignedForfeitTxs",
      {
        signed_forfeit_txs: [...req.signedForfeitTxs],
        signed_commitment_tx: req.signedCommitmentTx ?? "",
      },
      opts,
    );
  }

  streamBatchEvents(topics: readonly string[], opts: ArkStreamOptions = {}): ArkStream<BatchStreamEvent> {
    return openServerStream({
      rpc: "GetEventStream",
      start: () =>
        this.#rpc.serverStream<WireEventStreamResponse>(this.#svc, "GetEventStream", {
          topics: [...topics],
        }),
      map: mapBatchEvent,
      ...opts,
    });
  }

  async updateStreamTopics(
    streamId: string,
    change: TopicsChange,
    opts?: ArkCallOptions,
  ): Promise<StreamTopics> {
    requireNonEmpty(streamId, "streamId");
    const topicsChange =
      "overwrite" in change
        ? { overwrite: { topics: [...change.overwrite] } }
        : { modify: { add_topics: [...(change.add ?? [])], remove_topics: [...(change.remove ?? [])] } };
    const res = await this.#rpc.unary<WireUpdateStreamTopicsResponse>(
      this.#svc,
      "UpdateStreamTopics",
      { stream_id: streamId, ...topicsChange },
      opts,
    );
    return {
      added: [...(res.topics_added ?? [])],
      removed: [...(res.topics_removed ?? [])],
      all: [...(res.all_topics ?? [])],
    };
  }

  streamTransactions(opts: ArkStreamOptions = {}): ArkStream<TransactionsStreamEvent> {
    return openServerStream({
      rpc: "GetTransactionsStream",
      start: () =>
        this.#rpc.serverStream<WireTransactionsStreamResponse>(this.#svc, "GetTransactionsStream", {}),
      map: mapTransactionsEvent,
      ...opts,
    });
  }
}
