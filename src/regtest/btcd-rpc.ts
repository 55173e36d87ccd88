/**
 * A minimal JSON-RPC client for btcd. btcd serves RPC over TLS only (self-signed `rpc.cert` in
 * its app dir), so requests go over https with that certificate as the only trusted CA.
 */
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";

export interface BtcdRpcConfig {
  /** host:port, e.g. `127.0.0.1:28334`. */
  readonly rpcHost: string;
  readonly rpcUser: string;
  readonly rpcPass: string;
  readonly rpcCertPath: string;
}

export class BtcdRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number | undefined,
    message: string,
  ) {
    super(`btcd ${method}: ${message}`);
    this.name = "BtcdRpcError";
  }
}

export type BtcdCall = <T>(method: string, params?: readonly unknown[]) => Promise<T>;

/** Returns a `call(method, params)` function bound to one btcd; reads the cert once per call site. */
export function btcdRpc(config: BtcdRpcConfig, timeoutMs = 30_000): BtcdCall {
  const [host, port] = config.rpcHost.split(":");
  const auth = Buffer.from(`${config.rpcUser}:${config.rpcPass}`).toString("base64");
  let agent: Agent | undefined;
  let id = 0;
  return <T>(method: string, params: readonly unknown[] = []): Promise<T> => {
    // The cert exists only once btcd has started: load it lazily.
    agent ??= new Agent({
      ca: readFileSync(config.rpcCertPath),
      keepAlive: true,
      // We pin btcd's own self-signed cert as the only CA; its SANs vary with the host's interfaces.
      checkServerIdentity: () => undefined,
    });
    const body = JSON.stringify({ jsonrpc: "1.0", id: ++id, method, params });
    return new Promise<T>((resolveCall, reject) => {
      const req = request(
        {
          host,
          port: Number(port),
          method: "POST",
          path: "/",
          agent,
          // A name, not the IP: Node warns about IP SNI names (RFC 6066); identity is pinned by `ca`.
          servername: "localhost",
          timeout: timeoutMs,
          headers: {
            "content-type": "application/json",
            authorization: `Basic ${auth}`,
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            try {
              const parsed = JSON.parse(text) as {
                result: T;
                error: { code: number; message: string } | null;
              };
              if (parsed.error) reject(new BtcdRpcError(method, parsed.error.code, parsed.error.message));
              else resolveCall(parsed.result);
            } catch {
              reject(
                new BtcdRpcError(method, undefined, `HTTP ${res.statusCode ?? "?"}: ${text.slice(0, 200)}`),
              );
            }
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`btcd ${method}: timed out after ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  };
}
