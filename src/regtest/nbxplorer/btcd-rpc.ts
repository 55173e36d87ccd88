/**
 * A minimal JSON-RPC 1.0 client for btcd (HTTPS with btcd's self-signed certificate, or plain
 * HTTP when no certificate is given), plus the typed calls the NBXplorer-compatible service makes.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface BtcdRpcConfig {
  /** host:port of btcd's RPC listener. */
  readonly rpcHost: string;
  readonly rpcUser: string;
  readonly rpcPass: string;
  /** btcd's rpc.cert (PEM). Absent → plain HTTP (btcd started with --notls). */
  readonly rpcCertPath?: string;
  readonly timeoutMs?: number;
}

/** An error object returned by btcd (`{code, message}`), kept intact for the RPC proxy. */
export class BtcdRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
  ) {
    super(`btcd ${method}: ${rpcMessage} (code ${String(code)})`);
    this.name = "BtcdRpcError";
  }
}

/** A transaction as btcd's verbose JSON describes it (getrawtransaction 1, getblock 2). */
export interface BtcdTx {
  readonly txid: string;
  readonly hex: string;
  readonly vin: readonly { readonly txid?: string; readonly vout?: number; readonly coinbase?: string }[];
  readonly vout: readonly {
    readonly value: number;
    readonly n: number;
    readonly scriptPubKey: { readonly hex: string };
  }[];
  readonly blockhash?: string;
  readonly confirmations?: number;
  readonly blocktime?: number;
  readonly time?: number;
}

/** `getblock <hash> 2`. btcd names the transaction list `rawtx`; Bitcoin Core names it `tx`. */
export interface BtcdBlock {
  readonly hash: string;
  readonly height: number;
  readonly time: number;
  readonly previousblockhash?: string;
  readonly rawtx?: readonly BtcdTx[];
  readonly tx?: readonly BtcdTx[];
}

export interface BtcdBlockchainInfo {
  readonly chain: string;
  readonly blocks: number;
  readonly headers: number;
  readonly bestblockhash: string;
  readonly mediantime: number;
}

/** A JSON-RPC client bound to one btcd. */
export class BtcdRpc {
  private readonly ca: Buffer | undefined;
  private readonly auth: string;
  private nextId = 1;

  constructor(private readonly config: BtcdRpcConfig) {
    this.ca = config.rpcCertPath === undefined ? undefined : readFileSync(config.rpcCertPath);
    this.auth = `Basic ${Buffer.from(`${config.rpcUser}:${config.rpcPass}`).toString("base64")}`;
  }

  /**
   * Calls `method` and returns its `result`.
   * @throws {BtcdRpcError} when btcd answers with an error object.
   * @throws {Error} on transport failures or non-JSON answers.
   */
  async call<T>(method: string, params: readonly unknown[] = []): Promise<T> {
    const body = JSON.stringify({ jsonrpc: "1.0", id: this.nextId++, method, params });
    const text = await this.post(body);
    let parsed: { result?: unknown; error?: { code: number; message: string } | null };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new Error(`btcd ${method}: not JSON: ${text.slice(0, 200)}`);
    }
    if (parsed.error) throw new BtcdRpcError(method, parsed.error.code, parsed.error.message);
    return parsed.result as T;
  }

  getBlockCount(): Promise<number> {
    return this.call<number>("getblockcount");
  }

  getBlockHash(height: number): Promise<string> {
    return this.call<string>("getblockhash", [height]);
  }

  /** The block with every transaction decoded (verbosity 2). */
  async getBlock(hash: string): Promise<{ block: BtcdBlock; txs: readonly BtcdTx[] }> {
    const block = await this.call<BtcdBlock>("getblock", [hash, 2]);
    return { block, txs: block.rawtx ?? block.tx ?? [] };
  }

  getRawMempool(): Promise<string[]> {
    return this.call<string[]>("getrawmempool", [false]);
  }

  /** Verbose transaction; btcd has --txindex so confirmed transactions are found too. */
  getRawTransaction(txid: string): Promise<BtcdTx> {
    return this.call<BtcdTx>("getrawtransaction", [txid, 1]);
  }

  getBlockchainInfo(): Promise<BtcdBlockchainInfo> {
    return this.call<BtcdBlockchainInfo>("getblockchaininfo");
  }

  sendRawTransaction(hex: string): Promise<string> {
    return this.call<string>("sendrawtransaction", [hex]);
  }

  private post(body: string): Promise<string> {
    const [host, portText] = splitHostPort(this.config.rpcHost);
    const options = {
      host,
      port: Number(portText),
      method: "POST",
      path: "/",
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        authorization: this.auth,
      },
      timeout: this.config.timeoutMs ?? 30_000,
      ...(this.ca === undefined ? {} : { ca: this.ca }),
    };
    return new Promise((resolve, reject) => {
      const req = (this.ca === undefined ? httpRequest : httpsRequest)(options, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          // btcd answers RPC errors with HTTP 500 and a JSON body; let call() read it.
          if (res.statusCode === 401) reject(new Error("btcd RPC: 401 unauthorized"));
          else resolve(text);
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error("btcd RPC: timeout")));
      req.on("error", reject);
      req.end(body);
    });
  }
}

function splitHostPort(hostPort: string): [string, string] {
  const i = hostPort.lastIndexOf(":");
  if (i <= 0) throw new Error(`rpcHost must be host:port, got ${hostPort}`);
  return [hostPort.slice(0, i), hostPort.slice(i + 1)];
}

/** btcd's verbose amounts are BTC floats; satoshis are exact after rounding (< 2^53). */
export function btcToSats(value: number): bigint {
  return BigInt(Math.round(value * 1e8));
}
