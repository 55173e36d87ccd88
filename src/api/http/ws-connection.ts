/**
 * One `/v2/ws` connection: its state and the limits it is held to. Per connection: a token
 * bucket on messages, a maximum message size (ws closes with 1009), a send-buffer cap (slow
 * readers are dropped) and a server ping whose missing pong terminates the connection. That ping
 * is the protocol's own, answered by every WebSocket implementation by itself (browsers, undici's
 * `globalThis.WebSocket` on Node, ws), so a client that sends nothing (no `ping` op) and only
 * listens stays connected for as long as it likes.
 */
import type { Logger } from "../../lib/logger.js";
import type { RawData, WebSocket } from "ws";
import { TokenBucket } from "./token-bucket.js";
import { errorEvent, type UpdateArg } from "./ws-protocol.js";

export interface WsLimits {
  /** Swap ids one connection may follow at once. */
  readonly maxSubscriptions: number;
  /** Largest accepted client message, bytes (larger → close 1009). */
  readonly maxMessageBytes: number;
  /** Token bucket: sustained messages per second and burst. */
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  /** Open connections over the whole server (more → HTTP 503 at the upgrade). */
  readonly maxConnections: number;
  /** Server ping interval, ms; a connection that missed the previous pong is terminated. */
  readonly heartbeatMs: number;
  /** Unsent bytes a connection may accumulate before it is dropped as a slow reader. */
  readonly maxBufferedBytes: number;
}

export interface Connection {
  readonly id: number;
  readonly socket: WebSocket;
  readonly log: Logger;
  readonly subs: Set<string>;
  /** Ids whose current status is being read: updates queue here meanwhile. */
  readonly pending: Map<string, UpdateArg[]>;
  /** The last public status sent per swap id (a repeat is not pushed again). */
  readonly lastStatus: Map<string, string>;
  readonly bucket: TokenBucket;
  alive: boolean;
  /** Messages dropped in a row by the rate limit. */
  dropped: number;
}

/** Close code for server shutdown (RFC 6455 "going away"). */
export const GOING_AWAY = 1001;
/** Close code for a policy violation (flooding). */
const POLICY_VIOLATION = 1008;

/** A fresh connection record for an accepted socket. */
export function openConnection(id: number, socket: WebSocket, log: Logger, limits: WsLimits): Connection {
  return {
    id,
    socket,
    log: log.child({ wsId: id }),
    subs: new Set(),
    pending: new Map(),
    lastStatus: new Map(),
    bucket: new TokenBucket(limits.messagesPerSecond, limits.messageBurst),
    alive: true,
    dropped: 0,
  };
}

/** Sends `text` if the socket is open; a reader with more than `maxBufferedBytes` unsent is dropped. */
export function sendTo(conn: Connection, text: string, maxBufferedBytes: number): void {
  if (conn.socket.readyState !== conn.socket.OPEN) return;
  if (conn.socket.bufferedAmount > maxBufferedBytes) {
    conn.log.warn({ buffered: conn.socket.bufferedAmount }, "ws slow reader: terminating");
    conn.socket.terminate();
    return;
  }
  conn.socket.send(text);
}

/**
 * Takes a token for one client message. Without one the message is dropped: the first drop in a
 * row answers `ws.rate_limited`, `messageBurst` drops in a row close the connection (1008).
 * @returns whether the message may be handled
 */
export function admitMessage(conn: Connection, limits: WsLimits): boolean {
  if (!conn.bucket.take()) {
    conn.dropped += 1;
    if (conn.dropped === 1)
      sendTo(conn, errorEvent("rate limit exceeded", "ws.rate_limited"), limits.maxBufferedBytes);
    if (conn.dropped >= limits.messageBurst) {
      conn.log.info({}, "ws flooding: closing");
      conn.socket.close(POLICY_VIOLATION, "rate limit exceeded");
    }
    return false;
  }
  conn.dropped = 0;
  return true;
}

/** One heartbeat: terminates connections that missed the previous pong, pings the others. */
export function checkHeartbeats(conns: Iterable<Connection>): void {
  for (const c of conns) {
    if (!c.alive) {
      c.log.debug({}, "ws heartbeat missed: terminating");
      c.socket.terminate();
      continue;
    }
    c.alive = false;
    c.socket.ping();
  }
}

/** A client message's bytes as text. */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
  return data.toString("utf8");
}
