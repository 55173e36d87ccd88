import {
  Client,
  Metadata,
  credentials as grpcCredentials,
  type ChannelCredentials,
  type ClientReadableStream,
  type MethodDefinition,
  type ServiceDefinition,
} from "@grpc/grpc-js";
import { arkError } from "./errors.js";
import { translateGrpcError } from "./grpc-errors.js";
import type { ArkCallOptions } from "./types.js";

export interface RpcChannelOptions {
  /** "host:port" of arkd's gRPC listener (7070 by default). */
  readonly address: string;
  /** Default: insecure (h2c), as arkd serves on regtest. */
  readonly credentials?: ChannelCredentials;
  /** Deadline of unary calls without their own timeoutMs (ms). */
  readonly defaultTimeoutMs: number;
  /** Called before each call to build its metadata (x-build-version, x-digest...). */
  readonly headers: () => Readonly<Record<string, string>>;
}

/**
 * grpc-js backs off up to 120 s between reconnects, failing every call fast meanwhile ("No
 * connection established"): after an arkd restart of a few seconds the gateway would stay cut
 * off for minutes. Reconnect within 2 s instead (calls still fail fast while arkd is down).
 */
const RECONNECT_OPTIONS = {
  "grpc.initial_reconnect_backoff_ms": 250,
  "grpc.min_reconnect_backoff_ms": 250,
  "grpc.max_reconnect_backoff_ms": 2_000,
} as const;

/**
 * One HTTP/2 channel to arkd shared by ArkService and IndexerService: unary calls with a
 * deadline, cancellation and typed errors, and raw server streams.
 */
export class RpcChannel {
  readonly #client: Client;
  readonly #opts: RpcChannelOptions;
  #closed = false;

  constructor(opts: RpcChannelOptions) {
    if (opts.address.trim() === "") {
      throw arkError("ark.client_misconfigured", "arkd address is empty");
    }
    if (!Number.isFinite(opts.defaultTimeoutMs) || opts.defaultTimeoutMs <= 0) {
      throw arkError("ark.client_misconfigured", "defaultTimeoutMs must be a positive number", {
        defaultTimeoutMs: opts.defaultTimeoutMs,
      });
    }
    this.#opts = opts;
    this.#client = new Client(
      opts.address,
      opts.credentials ?? grpcCredentials.createInsecure(),
      RECONNECT_OPTIONS,
    );
  }

  #metadata(): Metadata {
    const md = new Metadata();
    for (const [k, v] of Object.entries(this.#opts.headers())) md.set(k, v);
    return md;
  }

  #method(service: ServiceDefinition, name: string): MethodDefinition<object, unknown> {
    if (this.#closed) throw arkError("ark.client_misconfigured", "arkd client is closed");
    const def = service[name];
    if (def === undefined) {
      throw arkError("ark.client_misconfigured", `RPC ${name} is not in the loaded protos`);
    }
    return def as MethodDefinition<object, unknown>;
  }

  /**
   * Calls a unary RPC with a deadline.
   * @param service the loaded service definition
   * @param name method name, e.g. "GetInfo"
   * @param request the request object (snake_case fields)
   * @param opts per-call deadline and abort signal
   * @returns the decoded response
   * @throws GatewayError with an `ark.*` code (deadline: `ark.deadline_exceeded`)
   */
  unary<Res>(
    service: ServiceDefinition,
    name: string,
    request: object,
    opts: ArkCallOptions = {},
  ): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const def = this.#method(service, name);
      const timeoutMs = opts.timeoutMs ?? this.#opts.defaultTimeoutMs;
      if (opts.signal?.aborted === true) {
        reject(arkError("ark.cancelled", `${name}: aborted before the call`, { rpc: name }));
        return;
      }
      const call = this.#client.makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        this.#metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, res) => {
          opts.signal?.removeEventListener("abort", onAbort);
          if (err !== null) reject(translateGrpcError(err, name));
          else resolve(res as Res);
        },
      );
      const onAbort = (): void => call.cancel();
      opts.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Starts a server-streaming RPC (no deadline: streams live until closed).
   * @returns the raw grpc-js stream; wrap it with openServerStream
   */
  serverStream<W>(service: ServiceDefinition, name: string, request: object): ClientReadableStream<W> {
    const def = this.#method(service, name);
    return this.#client.makeServerStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      request,
      this.#metadata(),
      {},
    ) as ClientReadableStream<W>;
  }

  /** Closes the channel; calls in flight are cancelled, later calls fail. */
  close(): void {
    this.#closed = true;
    this.#client.close();
  }
}
