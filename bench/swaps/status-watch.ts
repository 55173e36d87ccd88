/**
 * Swap status over the gateway's WebSocket API (`swap.update`), pushed rather than polled, so
 * latencies are not rounded to a polling period and 200 swaps in flight cost no request storm.
 * A few connections share the subscriptions (each connection is capped and rate-limited).
 */
import WebSocket from "ws";

interface Waiter {
  readonly wanted: ReadonlySet<string>;
  readonly failing: ReadonlySet<string>;
  resolve(at: number): void;
  reject(err: Error): void;
}

/**
 * Ids per connection: well under the server's cap of 100, and few enough that one connection's
 * subscribe/unsubscribe messages stay under its per-connection message rate.
 */
const IDS_PER_CONNECTION = 20;

export class StatusWatch {
  private readonly sockets: { ws: WebSocket; ids: Set<string>; open: Promise<void> }[] = [];
  private readonly last = new Map<string, { status: string; at: number }>();
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly wsUrl: string) {}

  /**
   * Resolves with the local time (performance.now) the swap first reached a `wanted` status.
   * @throws Error on a `failing` status or after `timeoutMs`
   */
  async waitFor(
    id: string,
    wanted: readonly string[],
    failing: readonly string[] = [],
    timeoutMs = 180_000,
  ): Promise<number> {
    const seen = this.last.get(id);
    if (seen !== undefined && wanted.includes(seen.status)) return seen.at;
    const done = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(
          new Error(
            `swap ${id}: no ${wanted.join("/")} within ${timeoutMs} ms (last ${this.last.get(id)?.status})`,
          ),
        );
      }, timeoutMs);
      this.waiters.set(id, {
        wanted: new Set(wanted),
        failing: new Set(failing),
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
    });
    await this.subscribe(id);
    return done;
  }

  private async subscribe(id: string): Promise<void> {
    const existing = this.sockets.find((s) => s.ids.has(id));
    if (existing !== undefined) return; // already subscribed: updates keep coming on it
    let slot = this.sockets.find((s) => s.ids.size < IDS_PER_CONNECTION);
    if (slot === undefined) {
      const ws = new WebSocket(this.wsUrl);
      const open = new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      ws.on("message", (data) => this.onMessage(String(data)));
      slot = { ws, ids: new Set(), open };
      this.sockets.push(slot);
    }
    slot.ids.add(id);
    await slot.open;
    slot.ws.send(JSON.stringify({ op: "subscribe", channel: "swap.update", args: [id] }));
  }

  /** Stops following a swap (frees its place on its connection). */
  forget(id: string): void {
    this.last.delete(id);
    this.waiters.delete(id);
    for (const s of this.sockets) {
      if (s.ids.delete(id))
        s.ws.send(JSON.stringify({ op: "unsubscribe", channel: "swap.update", args: [id] }));
    }
  }

  private onMessage(text: string): void {
    const at = performance.now();
    let msg: { event?: string; args?: { id?: string; status?: string; failureReason?: string }[] };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.event !== "update" || !Array.isArray(msg.args)) return;
    for (const u of msg.args) {
      if (typeof u.id !== "string" || typeof u.status !== "string") continue;
      if (this.last.get(u.id)?.status !== u.status) this.last.set(u.id, { status: u.status, at });
      const w = this.waiters.get(u.id);
      if (w === undefined) continue;
      if (w.wanted.has(u.status)) {
        this.waiters.delete(u.id);
        w.resolve(at);
      } else if (w.failing.has(u.status)) {
        this.waiters.delete(u.id);
        w.reject(
          new Error(`swap ${u.id} ended in ${u.status}${u.failureReason ? `: ${u.failureReason}` : ""}`),
        );
      }
    }
  }

  close(): void {
    for (const s of this.sockets) s.ws.close();
    this.sockets.length = 0;
  }
}
