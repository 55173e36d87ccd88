/**
 * A fake btcd JSON-RPC node for unit tests of the NBXplorer-compatible service: an in-memory
 * chain of real (unsigned) transactions built with @scure/btc-signer, a mempool, and exactly the
 * RPCs the service calls, with btcd's answer shapes (getblock 2 lists `rawtx`).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";

export interface FakeTx {
  readonly txid: string;
  readonly hex: string;
  readonly coinbase: boolean;
  readonly inputs: { txid: string; vout: number }[];
  readonly outputs: { script: string; sats: bigint }[];
}

interface FakeBlock {
  readonly hash: string;
  readonly time: number;
  readonly txs: FakeTx[];
}

const TX_OPTS = {
  allowUnknownInputs: true,
  allowUnknownOutputs: true,
  disableScriptCheck: true,
  allowUnknownVersion: true,
};

/** Builds a transaction spending `inputs` (or a coinbase-like one when empty) to `outputs`. */
export function makeTx(
  inputs: { txid: string; vout: number }[],
  outputs: { script: string; sats: bigint }[],
  tag = 0,
): FakeTx {
  const tx = new Transaction(TX_OPTS);
  const coinbase = inputs.length === 0;
  // Outputs first: an input with a final scriptSig counts as signed and freezes the outputs.
  for (const o of outputs) tx.addOutput({ script: hex.decode(o.script), amount: o.sats });
  if (coinbase)
    tx.addInput({
      txid: new Uint8Array(32),
      index: 0xffffffff,
      finalScriptSig: new Uint8Array([1, tag & 0xff, (tag >> 8) & 0xff]),
    });
  for (const i of inputs) tx.addInput({ txid: i.txid, index: i.vout });
  return { txid: tx.id, hex: hex.encode(tx.toBytes(true, false)), coinbase, inputs, outputs };
}

/** The fake node. */
export class FakeBtcd {
  readonly blocks: FakeBlock[] = [];
  readonly mempool = new Map<string, FakeTx>();
  readonly calls: string[] = [];
  /** sendrawtransaction rejects these txids with this message. */
  readonly reject = new Map<string, string>();
  private server: Server | undefined;
  private tag = 1;
  private time = 1_700_000_000;

  constructor() {
    this.mine([]); // genesis
  }

  /** Mines a block with a coinbase paying `coinbaseScript` (if given) plus the mempool. */
  mine(extra: FakeTx[] = [], coinbaseScript = "6a"): FakeBlock {
    const coinbase = makeTx([], [{ script: coinbaseScript, sats: 5_000_000_000n }], this.tag++);
    const txs = [coinbase, ...extra, ...this.mempool.values()];
    this.mempool.clear();
    const block = { hash: randomHash(this.tag++), time: ++this.time, txs };
    this.blocks.push(block);
    return block;
  }

  /** Replaces the tip block with an empty one (a one-block reorg); its transactions return to the mempool. */
  reorgTip(): void {
    const old = this.blocks.pop();
    if (!old) return;
    for (const tx of old.txs.slice(1)) this.mempool.set(tx.txid, tx);
    this.blocks.push({
      hash: randomHash(this.tag++),
      time: ++this.time,
      txs: [makeTx([], [{ script: "6a", sats: 1n }], this.tag++)],
    });
  }

  get rpcHost(): string {
    const addr = this.server?.address() as AddressInfo | undefined;
    if (!addr) throw new Error("fake btcd not listening");
    return `127.0.0.1:${String(addr.port)}`;
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const { id, method, params } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          id: number;
          method: string;
          params: unknown[];
        };
        this.calls.push(method);
        let body: unknown;
        try {
          body = { result: this.handle(method, params), error: null, id };
        } catch (err) {
          const e = err as { code?: number; message: string };
          body = { result: null, error: { code: e.code ?? -1, message: e.message }, id };
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private handle(method: string, params: unknown[]): unknown {
    const tip = this.blocks.length - 1;
    switch (method) {
      case "getblockcount":
        return tip;
      case "getblockhash":
        return this.blocks[params[0] as number]?.hash ?? fail(-8, "Block number out of range");
      case "getblock": {
        const h = this.blocks.findIndex((b) => b.hash === params[0]);
        const b = this.blocks[h] ?? fail(-5, "Block not found");
        return {
          hash: b.hash,
          height: h,
          time: b.time,
          ...(h > 0 ? { previousblockhash: this.blocks[h - 1]?.hash } : {}),
          rawtx: b.txs.map((t) => verbose(t, b.hash, tip - h + 1, b.time)),
        };
      }
      case "getblockheader": {
        const h = this.blocks.findIndex((b) => b.hash === params[0]);
        return { hash: params[0], height: h };
      }
      case "getrawmempool":
        return [...this.mempool.keys()];
      case "getrawtransaction": {
        const txid = params[0] as string;
        const m = this.mempool.get(txid);
        if (m) return verbose(m);
        for (const [h, b] of this.blocks.entries()) {
          const t = b.txs.find((x) => x.txid === txid);
          if (t) return verbose(t, b.hash, tip - h + 1, b.time);
        }
        return fail(-5, "No information available about transaction");
      }
      case "sendrawtransaction": {
        const raw = params[0] as string;
        const parsed = Transaction.fromRaw(hex.decode(raw), TX_OPTS);
        const txid = parsed.id;
        const why = this.reject.get(txid);
        if (why) fail(-26, why);
        if (this.mempool.has(txid)) fail(-26, `already have transaction ${txid}`);
        const inputs = Array.from({ length: parsed.inputsLength }, (_, i) => {
          const inp = parsed.getInput(i);
          return { txid: hex.encode(inp.txid ?? new Uint8Array()), vout: inp.index ?? 0 };
        });
        const outputs = Array.from({ length: parsed.outputsLength }, (_, i) => {
          const o = parsed.getOutput(i);
          return { script: hex.encode(o.script ?? new Uint8Array()), sats: o.amount ?? 0n };
        });
        this.mempool.set(txid, { txid, hex: raw, coinbase: false, inputs, outputs });
        return txid;
      }
      case "gettxout": {
        const [txid, vout] = params as [string, number];
        for (const [h, b] of this.blocks.entries()) {
          const t = b.txs.find((x) => x.txid === txid);
          if (!t) continue;
          const spent = this.blocks.some((bb) =>
            bb.txs.some((x) => x.inputs.some((i) => i.txid === txid && i.vout === vout)),
          );
          const out = t.outputs[vout];
          if (spent || !out) return null;
          return {
            bestblock: this.blocks[tip]?.hash,
            confirmations: tip - h + 1,
            value: Number(out.sats) / 1e8,
            scriptPubKey: { hex: out.script },
            coinbase: t.coinbase,
          };
        }
        return null;
      }
      case "estimatefee":
        return 0;
      case "getblockchaininfo":
        return {
          chain: "regtest",
          blocks: tip,
          headers: tip,
          bestblockhash: this.blocks[tip]?.hash,
          mediantime: this.time - 1,
        };
      default:
        return fail(-32601, "Method not found");
    }
  }
}

function verbose(t: FakeTx, blockhash?: string, confirmations?: number, time?: number): unknown {
  return {
    txid: t.txid,
    hex: t.hex,
    vin: t.coinbase
      ? [{ coinbase: "01", sequence: 0 }]
      : t.inputs.map((i) => ({ txid: i.txid, vout: i.vout })),
    vout: t.outputs.map((o, n) => ({ value: Number(o.sats) / 1e8, n, scriptPubKey: { hex: o.script } })),
    ...(blockhash === undefined ? {} : { blockhash, confirmations, blocktime: time, time }),
  };
}

function fail(code: number, message: string): never {
  throw Object.assign(new Error(message), { code });
}

function randomHash(seed: number): string {
  return (seed.toString(16).padStart(8, "0") + "ab".repeat(28)).slice(0, 64);
}
