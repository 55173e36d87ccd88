import type { ChannelCredentials } from "@grpc/grpc-js";
import { arkError } from "./errors.js";
import { GrpcArkService } from "./grpc-ark-service.js";
import { GrpcIndexer } from "./grpc-indexer.js";
import { loadArkServices } from "./load-protos.js";
import type { ArkServerPort } from "./port.js";
import { RpcChannel } from "./rpc-channel.js";

/** Default deadline of unary calls. */
export const DEFAULT_ARK_TIMEOUT_MS = 10_000;

const SEMVER = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

export interface GrpcArkClientOptions {
  /** "host:port" of arkd's gRPC listener, e.g. "127.0.0.1:7070". */
  readonly address: string;
  /** Default: insecure (h2c). */
  readonly credentials?: ChannelCredentials;
  /** Deadline of unary calls without their own timeoutMs (default 10 000 ms). */
  readonly defaultTimeoutMs?: number;
  /** Sent as `x-build-version`; arkd rejects a lower major version than its own. */
  readonly buildVersion?: string;
  /**
   * Send `x-digest` = the digest of the last successful GetInfo, so that a config change on
   * arkd surfaces as `ark.digest_mismatch` instead of acting on stale server facts.
   */
  readonly sendDigest?: boolean;
  /** Directory holding ark/v1/*.proto (default: the repository's proto/). */
  readonly protoDir?: string;
}

/**
 * Creates the gRPC adapter of ArkServerPort: one channel to arkd for ArkService and
 * IndexerService. The connection is made lazily on the first call.
 * @param opts address, deadline, headers, protos
 * @returns the port; call close() when done
 * @throws GatewayError `ark.client_misconfigured` on a bad address, timeout, build version or protos
 */
export function createGrpcArkClient(opts: GrpcArkClientOptions): ArkServerPort {
  if (opts.buildVersion !== undefined && !SEMVER.test(opts.buildVersion)) {
    throw arkError("ark.client_misconfigured", "buildVersion must be a semver string", {
      buildVersion: opts.buildVersion,
    });
  }
  const defs = loadArkServices(opts.protoDir);
  let digest = "";
  const rpc = new RpcChannel({
    address: opts.address,
    defaultTimeoutMs: opts.defaultTimeoutMs ?? DEFAULT_ARK_TIMEOUT_MS,
    ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
    headers: () => ({
      ...(opts.buildVersion === undefined ? {} : { "x-build-version": opts.buildVersion }),
      ...(opts.sendDigest === true && digest !== "" ? { "x-digest": digest } : {}),
    }),
  });
  const ark = new GrpcArkService(rpc, defs.arkService, (info) => {
    digest = info.digest;
  });
  const indexer = new GrpcIndexer(rpc, defs.indexerService);

  return {
    getInfo: (o) => ark.getInfo(o),
    submitTx: (r, o) => ark.submitTx(r, o),
    finalizeTx: (r, o) => ark.finalizeTx(r, o),
    getPendingTxs: (i, o) => ark.getPendingTxs(i, o),
    registerIntent: (i, o) => ark.registerIntent(i, o),
    estimateIntentFee: (i, o) => ark.estimateIntentFee(i, o),
    deleteIntent: (i, o) => ark.deleteIntent(i, o),
    confirmRegistration: (id, o) => ark.confirmRegistration(id, o),
    submitTreeNonces: (r, o) => ark.submitTreeNonces(r, o),
    submitTreeSignatures: (r, o) => ark.submitTreeSignatures(r, o),
    submitSignedForfeitTxs: (r, o) => ark.submitSignedForfeitTxs(r, o),
    streamBatchEvents: (t, o) => ark.streamBatchEvents(t, o),
    updateStreamTopics: (id, c, o) => ark.updateStreamTopics(id, c, o),
    streamTransactions: (o) => ark.streamTransactions(o),
    getCommitmentTx: (t, o) => indexer.getCommitmentTx(t, o),
    getVtxos: (q, o) => indexer.getVtxos(q, o),
    getVirtualTxs: (r, o) => indexer.getVirtualTxs(r, o),
    subscribeForScripts: (s, id, o) => indexer.subscribeForScripts(s, id, o),
    unsubscribeForScripts: (id, s, o) => indexer.unsubscribeForScripts(id, s, o),
    streamSubscription: (id, o) => indexer.streamSubscription(id, o),
    close: () => rpc.close(),
  };
}
