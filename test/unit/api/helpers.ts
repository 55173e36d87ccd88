/** Test harness: the real server on 127.0.0.1:0 over a FakeSwapService, and a WS client. */
import { base64, bech32 } from "@scure/base";
import { pino } from "pino";
import { WebSocket } from "ws";
import { createHttpServer, type HttpLimits, type HttpServer } from "../../../src/api/http/index.js";
import { FakeSwapService } from "../../fakes/fake-swap-service.js";

export interface Harness {
  readonly base: string;
  readonly wsUrl: string;
  readonly service: FakeSwapService;
  readonly server: HttpServer;
  close(): Promise<void>;
}

/** Starts a server with a fresh fake service. */
export async function startHarness(limits: Partial<HttpLimits> = {}): Promise<Harness> {
  const service = new FakeSwapService();
  const server = createHttpServer({
    service,
    logger: pino({ level: "silent" }),
    limits,
    version: "0.1.0-test",
  });
  const { port } = await server.listen("127.0.0.1", 0);
  return {
    base: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/v2/ws`,
    service,
    server,
    close: () => server.close(),
  };
}

/** A BOLT11-shaped invoice (valid bech32 checksum, `lnbcrt` + amount). */
export function fakeInvoice(hrp = "lnbcrt100u", seed = 7): string {
  const words = Array.from({ length: 300 }, (_, i) => (i * 13 + seed) % 32);
  return bech32.encode(hrp, words, false);
}

/** A minimal base64 "PSBT" (magic + a few bytes): enough for the API's shape check. */
export const PSBT_B64 = base64.encode(Uint8Array.from([0x70, 0x73, 0x62, 0x74, 0xff, 0x01, 0x00, 0x00]));

/** POSTs JSON (or a raw string) and returns status, headers and parsed body. */
export async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(base + path, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** GETs and returns status, headers and parsed body. */
export async function get(
  base: string,
  path: string,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(base + path);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** A WebSocket client that records every message and waits for predicates. */
export class WsClient {
  readonly messages: Record<string, unknown>[] = [];
  closeCode: number | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.messages.push(JSON.parse(String(data)) as Record<string, unknown>);
      this.notify();
    });
    socket.on("close", (code) => {
      this.closeCode = code;
      this.notify();
    });
  }

  static async connect(url: string): Promise<WsClient> {
    const socket = new WebSocket(url);
    const client = new WsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return client;
  }

  send(msg: unknown): void {
    this.socket.send(typeof msg === "string" ? msg : JSON.stringify(msg));
  }

  /** Waits until `count` messages have arrived (in total) and returns them. */
  async waitForCount(count: number, timeoutMs = 3000): Promise<Record<string, unknown>[]> {
    await this.waitFor(() => this.messages.length >= count, timeoutMs, `${count} messages`);
    return this.messages.slice(0, count);
  }

  /** Waits until the socket is closed and returns the close code. */
  async waitForClose(timeoutMs = 3000): Promise<number> {
    await this.waitFor(() => this.closeCode !== undefined, timeoutMs, "close");
    return this.closeCode as number;
  }

  async waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.close();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
