import type { ServiceDefinition } from "@grpc/grpc-js";
import { isGatewayError } from "../../domain/errors.js";
import { arkError } from "./errors.js";
import { mapSubscriptionEvent } from "./map-events.js";
import { mapCommitmentTx, mapPage, mapVtxos } from "./map-vtxo.js";
import type { ArkIndexerPort, ArkStreamOptions } from "./port.js";
import type { RpcChannel } from "./rpc-channel.js";
import { openServerStream } from "./server-stream.js";
import type {
  ArkCallOptions,
  ArkStream,
  CommitmentTxInfo,
  PageRequest,
  SubscriptionStreamEvent,
  VirtualTxPage,
  VtxoPage,
  VtxoQuery,
  VtxoStatusFilter,
  VirtualTxsAuth,
} from "./types.js";
import { requireIntent, requireNonEmpty, requireP2trScripts, requirePage, requireTxid } from "./validate.js";
import type {
  WireGetCommitmentTxResponse,
  WireGetVirtualTxsResponse,
  WireGetVtxosResponse,
  WireSubscriptionResponse,
} from "./wire-types.js";
import { formatOutpoint } from "../../domain/outpoint.js";

const STATUS_FIELD: Readonly<Record<VtxoStatusFilter, string>> = {
  spendable: "spendable_only",
  spent: "spent_only",
  recoverable: "recoverable_only",
  pending: "pending_only",
  renewable: "renewable_only",
};

function vtxosRequest(query: VtxoQuery): Record<string, unknown> {
  const scripts = query.scripts ?? [];
  const outpoints = query.outpoints ?? [];
  if ((scripts.length === 0) === (outpoints.length === 0)) {
    throw arkError("ark.invalid_request", "give either scripts or outpoints, not both or none", {
      scripts: scripts.length,
      outpoints: outpoints.length,
    });
  }
  if (scripts.length > 0) requireP2trScripts(scripts, "scripts");
  outpoints.forEach((op, i) => requireTxid(op.txid, `outpoints[${i}].txid`));
  if (query.status !== undefined && outpoints.length > 0) {
    throw arkError("ark.invalid_request", "status filters apply to script queries only", {});
  }
  if (query.page !== undefined) requirePage(query.page);
  const req: Record<string, unknown> = {
    scripts: scripts.map((s) => s.toLowerCase()),
    outpoints: outpoints.map(formatOutpoint),
  };
  if (query.status !== undefined) req[STATUS_FIELD[query.status]] = true;
  if (query.page !== undefined) req.page = { index: query.page.index, size: query.page.size };
  return req;
}

/** ArkIndexerPort over grpc-js. */
export class GrpcIndexer implements ArkIndexerPort {
  readonly #rpc: RpcChannel;
  readonly #svc: ServiceDefinition;

  /**
   * @param rpc the shared channel
   * @param svc the loaded ark.v1.IndexerService definition
   */
  constructor(rpc: RpcChannel, svc: ServiceDefinition) {
    this.#rpc = rpc;
    this.#svc = svc;
  }

  /**
   * arkd v0.9.15 answers an unknown txid with INTERNAL "batch not found"; that becomes
   * `ark.not_found` here, as every other unknown thing is.
   */
  async getCommitmentTx(txid: string, opts?: ArkCallOptions): Promise<CommitmentTxInfo> {
    requireTxid(txid, "txid");
    let res: WireGetCommitmentTxResponse;
    try {
      res = await this.#rpc.unary<WireGetCommitmentTxResponse>(
        this.#svc,
        "GetCommitmentTx",
        { txid: txid.toLowerCase() },
        opts,
      );
    } catch (err) {
      if (isGatewayError(err, "ark.internal") && /batch not found/.test(err.message))
        throw arkError("ark.not_found", err.message, { ...err.details, txid }, err);
      throw err;
    }
    return mapCommitmentTx(txid.toLowerCase(), res);
  }

  async getVtxos(query: VtxoQuery, opts?: ArkCallOptions): Promise<VtxoPage> {
    const req = vtxosRequest(query);
    const res = await this.#rpc.unary<WireGetVtxosResponse>(this.#svc, "GetVtxos", req, opts);
    return { vtxos: mapVtxos(res.vtxos, "GetVtxos.vtxos"), page: mapPage(res.page) };
  }

  async getVirtualTxs(
    req: { txids: readonly string[]; page?: PageRequest; auth?: VirtualTxsAuth },
    opts?: ArkCallOptions,
  ): Promise<VirtualTxPage> {
    const { txids, page, auth } = req;
    if (txids.length === 0) throw arkError("ark.invalid_request", "txids must not be empty", {});
    txids.forEach((t, i) => requireTxid(t, `txids[${i}]`));
    if (page !== undefined) requirePage(page);
    let authField: object = {};
    if (auth !== undefined && "token" in auth) {
      requireNonEmpty(auth.token, "auth.token");
      authField = { token: auth.token };
    } else if (auth !== undefined) {
      requireIntent(auth.intent);
      authField = { intent: { proof: auth.intent.proof, message: auth.intent.message } };
    }
    const res = await this.#rpc.unary<WireGetVirtualTxsResponse>(
      this.#svc,
      "GetVirtualTxs",
      { txids: [...txids], ...(page === undefined ? {} : { page }), ...authField },
      opts,
    );
    return { txs: [...(res.txs ?? [])], page: mapPage(res.page) };
  }

  async subscribeForScripts(
    scripts: readonly string[],
    subscriptionId?: string,
    opts?: ArkCallOptions,
  ): Promise<string> {
    requireP2trScripts(scripts, "scripts");
    const res = await this.#rpc.unary<{ subscription_id: string }>(
      this.#svc,
      "SubscribeForScripts",
      { scripts: scripts.map((s) => s.toLowerCase()), subscription_id: subscriptionId ?? "" },
      opts,
    );
    if (res.subscription_id === "") {
      throw arkError("ark.invalid_response", "SubscribeForScripts: empty subscription_id", {});
    }
    return res.subscription_id;
  }

  async unsubscribeForScripts(
    subscriptionId: string,
    scripts: readonly string[] = [],
    opts?: ArkCallOptions,
  ): Promise<void> {
    requireNonEmpty(subscriptionId, "subscriptionId");
    if (scripts.length > 0) requireP2trScripts(scripts, "scripts");
    await this.#rpc.unary(
      this.#svc,
      "UnsubscribeForScripts",
      { subscription_id: subscriptionId, scripts: scripts.map((s) => s.toLowerCase()) },
      opts,
    );
  }

  streamSubscription(
    subscriptionId: string,
    opts: ArkStreamOptions = {},
  ): ArkStream<SubscriptionStreamEvent> {
    requireNonEmpty(subscriptionId, "subscriptionId");
    return openServerStream({
      rpc: "GetSubscription",
      start: () =>
        this.#rpc.serverStream<WireSubscriptionResponse>(this.#svc, "GetSubscription", {
          subscription_id: subscriptionId,
        }),
      map: mapSubscriptionEvent,
      ...opts,
    });
  }
}
