/**
 * The Boltz v2 HTTP + WebSocket server on node:http: request ids, per-request child loggers,
 * CORS (browser wallets call the API cross-origin), body limits, route dispatch, `{error, code}`
 * answers, and a graceful close (stop accepting, close WebSockets with 1001, let in-flight
 * requests finish, then drop what is left).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../lib/logger.js";
import type { SwapService } from "../../swaps/ports/swap-service.js";
import { readJsonBody } from "./body.js";
import { apiError, toErrorResponse } from "./errors.js";
import { apiRoutes } from "./routes/index.js";
import { Router } from "./router.js";
import { SwapUpdatesHub } from "./ws.js";
import type { WsLimits } from "./ws-connection.js";

export interface HttpLimits extends WsLimits {
  /** Largest accepted request body, bytes. */
  readonly maxBodyBytes: number;
  /** Time a client gets to send a whole request, ms (node's requestTimeout). */
  readonly requestTimeoutMs: number;
  /** How long close() waits for in-flight requests before cutting connections, ms. */
  readonly shutdownGraceMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  maxBodyBytes: 64 * 1024,
  requestTimeoutMs: 30_000,
  shutdownGraceMs: 10_000,
  maxSubscriptions: 100,
  maxMessageBytes: 16 * 1024,
  messagesPerSecond: 20,
  // `@arkade-os/boltz-swap`'s SwapManager subscribes each swap it follows with its own message,
  // all at once on (re)connect: a burst as large as the subscription cap is never throttled.
  messageBurst: 100,
  maxConnections: 1000,
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
});

export interface HttpServerOptions {
  readonly service: SwapService;
  readonly logger: Logger;
  /** Overrides of DEFAULT_HTTP_LIMITS. */
  readonly limits?: Partial<HttpLimits>;
  /** Served at /v2/version and in the OpenAPI document. */
  readonly version?: string;
  /** `Access-Control-Allow-Origin`; `null` disables CORS. Default `*` (the API is public). */
  readonly corsOrigin?: string | null;
}

export interface HttpServer {
  /** Starts listening. @returns the bound address (port 0 → the chosen port) */
  listen(host: string, port: number): Promise<{ host: string; port: number }>;
  /** Graceful close; resolves once every connection is gone. Idempotent. */
  close(): Promise<void>;
}

const WS_PATH = "/v2/ws";
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the server (not yet listening).
 * @throws RangeError when a limit is not a positive number
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...opts.limits };
  for (const [k, v] of Object.entries(limits)) {
    if (typeof v !== "number" || !(v > 0)) throw new RangeError(`limits.${k} must be a positive number`);
  }
  const log = opts.logger.child({ subsystem: "http" });
  const { routes } = apiRoutes(opts.version ?? "unknown");
  const router = new Router(routes);
  const corsOrigin = opts.corsOrigin === undefined ? "*" : opts.corsOrigin;
  const hub = new SwapUpdatesHub(opts.service, log.child({ subsystem: "ws" }), limits);
  const inFlight = new Set<ServerResponse>();
  const ctx: RequestContext = { log, router, corsOrigin, limits, service: opts.service };

  const server: Server = createServer({ requestTimeout: limits.requestTimeoutMs }, (req, res) => {
    inFlight.add(res);
    res.on("close", () => inFlight.delete(res));
    void handleRequest(ctx, req, res);
  });
  server.on("upgrade", (req, socket, head) => {
    if (pathOf(req.url) === WS_PATH) return hub.handleUpgrade(req, socket, head);
    socket.on("error", () => socket.destroy());
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });

  let closing: Promise<void> | undefined;
  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const addr = server.address() as AddressInfo;
          log.info({ host: addr.address, port: addr.port }, "http listening");
          resolve({ host: addr.address, port: addr.port });
        });
      });
    },
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await hub.close();
        await waitUntil(() => inFlight.size === 0, limits.shutdownGraceMs);
        server.closeAllConnections();
        await closed;
        log.info({}, "http closed");
      })();
      return closing;
    },
  };
}

/** What handling one request needs from its server. */
interface RequestContext {
  readonly log: Logger;
  readonly router: Router;
  readonly corsOrigin: string | null;
  readonly limits: HttpLimits;
  readonly service: SwapService;
}

/** One request: request id, CORS, access log, route dispatch, `{error, code}` on failure. */
async function handleRequest(ctx: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { log, router, corsOrigin, limits, service } = ctx;
  const started = performance.now();
  const incoming = req.headers["x-request-id"];
  const reqId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const path = pathOf(req.url);
  const rlog = log.child({ reqId, method: req.method, path });
  res.setHeader("x-request-id", reqId);
  if (corsOrigin !== null) res.setHeader("access-control-allow-origin", corsOrigin);
  res.on("finish", () => {
    rlog.info({ status: res.statusCode, durationMs: Math.round(performance.now() - started) }, "request");
  });
  try {
    if (req.method === "OPTIONS" && corsOrigin !== null) return preflight(res);
    const match = router.match(req.method ?? "", path);
    if (match.kind === "not_found") throw apiError("http.not_found", "no such route");
    if (match.kind === "method_not_allowed") {
      res.setHeader("allow", match.allow.join(", "));
      throw apiError("http.method_not_allowed", `method ${req.method ?? ""} not allowed`, {
        allow: match.allow,
      });
    }
    const { route, params } = match;
    let body: unknown = undefined;
    if (route.body !== undefined) {
      const raw = await readJsonBody(req, limits.maxBodyBytes);
      body = route.body.parse(raw, "body");
    } else {
      req.resume();
    }
    const result = await route.handler({ params, body, service, log: rlog });
    sendJson(res, route.status, result);
  } catch (err) {
    const { status, body, internal } = toErrorResponse(err);
    if (internal) rlog.error({ err }, "request failed");
    if (status === 413) res.setHeader("connection", "close");
    sendJson(res, status, body);
    // Discard what is left of a refused body without buffering it.
    if (!req.complete) req.resume();
  }
}

function preflight(res: ServerResponse): void {
  res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
  res.setHeader("access-control-allow-headers", "content-type, x-request-id");
  res.setHeader("access-control-max-age", "600");
  res.statusCode = 204;
  res.end();
}

function pathOf(url: string | undefined): string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  return q < 0 ? raw : raw.slice(0, q);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.setHeader("cache-control", "no-store");
  res.end(text);
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
}
