/**
 * Our own LND gRPC client (no ln-service): one HTTP/2 channel with LND's TLS certificate and the
 * macaroon as call metadata, unary calls as promises and server streams as grpc-js streams.
 * Errors are grpc-js `ServiceError`s (`{code, details}`), which `describeLnError` reads.
 *
 * Adapter functions take the {@link LndRpc} interface, so unit tests hand them a fake that
 * answers by service and method name with LND's wire shapes.
 */
import {
  Client,
  Metadata,
  credentials as grpcCredentials,
  type ClientReadableStream,
  type MethodDefinition,
} from "@grpc/grpc-js";
import { lnError } from "../../errors.js";
import { loadLndServices, type LndServiceName } from "./load-lnd-protos.js";

/** A server stream: `data`, `error`, `end` events, and `cancel()`. */
export interface LndStream<T> {
  on(event: "data", listener: (message: T) => void): unknown;
  on(event: "error", listener: (err: unknown) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  removeAllListeners(event?: string): unknown;
  cancel(): void;
}

/** What adapter functions call. */
export interface LndRpc {
  /**
   * @param timeoutMs deadline of this call (default: none, the adapter's own deadline applies)
   * @throws the gRPC error as grpc-js gives it (`{code, details}`)
   */
  unary<Res>(service: LndServiceName, method: string, request: object, timeoutMs?: number): Promise<Res>;
  stream<T>(service: LndServiceName, method: string, request: object): LndStream<T>;
  close(): void;
}

export interface LndRpcOptions {
  /** `host:port`. */
  readonly socket: string;
  /** LND's TLS certificate, PEM bytes; undefined for a certificate the system trusts. */
  readonly cert?: Buffer;
  /** The macaroon's bytes. */
  readonly macaroon: Buffer;
}

/** LND answers such as GetTransactions or DescribeGraph can be large. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * grpc-js backs off up to 120 s between reconnects; after an LND restart of a few seconds the
 * gateway would stay cut off for minutes (the same choice as for arkd, rpc-channel.ts).
 */
const CHANNEL_OPTIONS = {
  "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  "grpc.initial_reconnect_backoff_ms": 250,
  "grpc.min_reconnect_backoff_ms": 250,
  "grpc.max_reconnect_backoff_ms": 2_000,
} as const;

/** The grpc-js implementation of {@link LndRpc}. Nothing connects before the first call. */
export class GrpcLndRpc implements LndRpc {
  readonly #client: Client;
  readonly #macaroonHex: string;
  #closed = false;

  constructor(opts: LndRpcOptions) {
    this.#macaroonHex = opts.macaroon.toString("hex");
    const tls = grpcCredentials.createSsl(opts.cert);
    const macaroon = grpcCredentials.createFromMetadataGenerator((_params, callback) => {
      const md = new Metadata();
      md.add("macaroon", this.#macaroonHex);
      callback(null, md);
    });
    this.#client = new Client(
      opts.socket,
      grpcCredentials.combineChannelCredentials(tls, macaroon),
      CHANNEL_OPTIONS,
    );
  }

  #method(service: LndServiceName, method: string): MethodDefinition<object, unknown> {
    if (this.#closed) throw lnError("ln.unavailable", "the LND client is closed");
    const def = loadLndServices()[service][method];
    if (def === undefined) throw lnError("ln.unexpected", `${service}.${method} is not in LND's protos`);
    return def as MethodDefinition<object, unknown>;
  }

  unary<Res>(service: LndServiceName, method: string, request: object, timeoutMs?: number): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const def = this.#method(service, method);
      this.#client.makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        new Metadata(),
        timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs },
        (err, res) => (err !== null ? reject(err) : resolve(res as Res)),
      );
    });
  }

  stream<T>(service: LndServiceName, method: string, request: object): LndStream<T> {
    const def = this.#method(service, method);
    return this.#client.makeServerStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      new Metadata(),
      {},
    ) as ClientReadableStream<T>;
  }

  close(): void {
    this.#closed = true;
    this.#client.close();
  }
}
