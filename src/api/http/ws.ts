/**
 * The `/v2/ws` WebSocket: swap status subscriptions fed by SwapService.onUpdate. A subscription
 * first answers the current status of each id, then pushes every change; updates that arrive
 * while the current status is being read are queued and sent after it, so a client never sees
 * a status go backwards. A pushed update whose public status equals the last one sent for that
 * swap on that connection is not sent: several internal steps share one Boltz status (a reverse
 * swap is `transaction.mempool` while funded and again once the preimage is learned), and
 * `@arkade-os/boltz-swap` acts on every update it gets (waitAndClaim claims again on a repeated
 * `transaction.mempool` and fails on the spent VHTLC), while Boltz only announces changes.
 * Per connection: a cap on subscribed ids, and the limits of ws-connection.ts.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "../../lib/logger.js";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { isGatewayError } from "../../domain/errors.js";
import type { SwapService, SwapUpdate } from "../../swaps/ports/swap-service.js";
import { toErrorResponse } from "./errors.js";
import { wireStatus } from "./wire.js";
import {
  GOING_AWAY,
  admitMessage,
  checkHeartbeats,
  openConnection,
  rawText,
  sendTo,
  type Connection,
  type WsLimits,
} from "./ws-connection.js";
import {
  PONG_EVENT,
  ackEvent,
  errorEvent,
  parseClientMessage,
  updateEvent,
  type ClientMessage,
  type UpdateArg,
} from "./ws-protocol.js";

/** Serves `/v2/ws` on an existing HTTP server's `upgrade` events. */
export class SwapUpdatesHub {
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Connection>();
  private readonly bySwap = new Map<string, Set<Connection>>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly stopUpdates: () => void;
  private nextId = 1;
  private closing = false;

  constructor(
    private readonly service: SwapService,
    private readonly log: Logger,
    private readonly limits: WsLimits,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageBytes,
      clientTracking: false,
    });
    this.stopUpdates = service.onUpdate((u) => this.dispatch(u));
    this.heartbeat = setInterval(() => checkHeartbeats(this.conns), limits.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Open connections. */
  get size(): number {
    return this.conns.size;
  }

  /**
   * Completes an upgrade request for `/v2/ws` (the caller routes only that path here).
   * Refuses with 503 when closing or at the connection limit.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    if (this.closing || this.conns.size >= this.limits.maxConnections) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /**
   * Closes every connection with 1001 and stops listening to the service.
   * @param graceMs how long to wait for clients to acknowledge before terminating them
   */
  async close(graceMs = 2000): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    this.stopUpdates();
    const closed = [...this.conns].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.socket.readyState === c.socket.CLOSED) return resolve();
          c.socket.once("close", () => resolve());
          c.socket.close(GOING_AWAY, "server shutting down");
        }),
    );
    const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(closed), timer]);
    for (const c of this.conns) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const conn = openConnection(this.nextId++, socket, this.log, this.limits);
    this.conns.add(conn);
    conn.log.debug({ connections: this.conns.size }, "ws connected");
    socket.on("pong", () => {
      conn.alive = true;
    });
    socket.on("message", (data) => this.onMessage(conn, data));
    socket.on("error", (err) => conn.log.debug({ err: err.message }, "ws error"));
    socket.on("close", (code) => {
      this.drop(conn);
      conn.log.debug({ code, connections: this.conns.size }, "ws closed");
    });
  }

  private drop(conn: Connection): void {
    this.conns.delete(conn);
    for (const id of conn.subs) this.unlink(conn, id);
    conn.subs.clear();
    conn.pending.clear();
    conn.lastStatus.clear();
  }

  private unlink(conn: Connection, id: string): void {
    conn.lastStatus.delete(id);
    const set = this.bySwap.get(id);
    if (set === undefined) return;
    set.delete(conn);
    if (set.size === 0) this.bySwap.delete(id);
  }

  private send(conn: Connection, text: string): void {
    sendTo(conn, text, this.limits.maxBufferedBytes);
  }

  private onMessage(conn: Connection, data: RawData): void {
    if (!admitMessage(conn, this.limits)) return;
    let msg: ClientMessage;
    try {
      msg = parseClientMessage(rawText(data), this.limits.maxSubscriptions);
    } catch (err) {
      this.sendError(conn, err);
      return;
    }
    if (msg.op === "ping") return this.send(conn, PONG_EVENT);
    if (msg.op === "unsubscribe") return this.unsubscribe(conn, msg.args);
    this.subscribe(conn, msg.args).catch((err: unknown) => {
      conn.log.error({ err }, "ws subscribe failed");
      this.sendError(conn, err);
    });
  }

  private sendError(conn: Connection, err: unknown): void {
    const { body } = toErrorResponse(err);
    this.send(conn, errorEvent(body.error, body.code));
  }

  private unsubscribe(conn: Connection, ids: readonly string[]): void {
    for (const id of ids) {
      if (!conn.subs.delete(id)) continue;
      conn.pending.delete(id);
      this.unlink(conn, id);
    }
    this.send(conn, ackEvent("unsubscribe", [...conn.subs]));
  }

  private async subscribe(conn: Connection, ids: readonly string[]): Promise<void> {
    const fresh = ids.filter((id) => !conn.subs.has(id));
    if (conn.subs.size + fresh.length > this.limits.maxSubscriptions) {
      this.send(
        conn,
        errorEvent(
          `at most ${this.limits.maxSubscriptions} swap ids per connection`,
          "ws.too_many_subscriptions",
        ),
      );
      return;
    }
    for (const id of fresh) {
      conn.subs.add(id);
      conn.pending.set(id, []);
      let set = this.bySwap.get(id);
      if (set === undefined) this.bySwap.set(id, (set = new Set()));
      set.add(conn);
    }
    this.send(conn, ackEvent("subscribe", ids));
    const args = await Promise.all(ids.map((id) => this.currentStatus(id)));
    for (const arg of args) {
      // An id that cannot be followed (unknown swap) is not kept, as Boltz does.
      if ("error" in arg && fresh.includes(arg.id)) {
        conn.subs.delete(arg.id);
        this.unlink(conn, arg.id);
      }
    }
    // The answer to a subscribe always carries the current status (as Boltz's does).
    this.send(conn, updateEvent(args));
    for (const arg of args) if ("status" in arg) conn.lastStatus.set(arg.id, arg.status);
    for (const id of fresh) {
      const queued = conn.pending.get(id);
      conn.pending.delete(id);
      if (queued === undefined || !conn.subs.has(id)) continue;
      const changes = queued.filter((arg) => this.isChange(conn, arg));
      if (changes.length > 0) this.send(conn, updateEvent(changes));
    }
  }

  private async currentStatus(id: string): Promise<UpdateArg> {
    try {
      return { id, ...wireStatus(await this.service.status(id)) };
    } catch (err) {
      if (!isGatewayError(err) || err.httpStatus >= 500)
        this.log.error({ err, swapId: id }, "ws status read failed");
      return { id, error: toErrorResponse(err).body.error };
    }
  }

  private dispatch(update: SwapUpdate): void {
    const set = this.bySwap.get(update.id);
    if (set === undefined) return;
    let arg: UpdateArg;
    try {
      arg = { id: update.id, ...wireStatus(update) };
    } catch (err) {
      this.log.error({ err, swapId: update.id }, "ws update not serialisable");
      return;
    }
    for (const conn of set) {
      const queue = conn.pending.get(update.id);
      if (queue !== undefined) queue.push(arg);
      else if (this.isChange(conn, arg)) this.send(conn, updateEvent([arg]));
    }
  }

  /** Whether `arg` changes the public status last sent on `conn` (and records it if so). */
  private isChange(conn: Connection, arg: UpdateArg): boolean {
    if (!("status" in arg)) return true;
    if (conn.lastStatus.get(arg.id) === arg.status) return false;
    conn.lastStatus.set(arg.id, arg.status);
    return true;
  }
}
