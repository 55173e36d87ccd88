/**
 * A tiny router and response helpers over node:http, enough for NBXplorer's REST surface:
 * path patterns with `:params` (each segment URL-decoded), JSON/text/bytes answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type Method = "GET" | "POST" | "DELETE";

export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The request body (read fully, max 16 MiB). */
  body(): Promise<Buffer>;
}

export type Handler = (ctx: RouteContext) => Promise<void> | void;

/** An error a handler throws to answer with a status and NBXplorer's `{code, message}` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

interface Route {
  readonly method: Method;
  readonly segments: readonly string[];
  readonly handler: Handler;
}

/** Method + path pattern router. */
export class Router {
  private readonly routes: Route[] = [];

  /** Registers `pattern` like `/v1/cryptos/:crypto/derivations/:scheme/utxos`. */
  on(method: Method, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  /** Dispatches; answers 404/405/500 itself. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const parts = url.pathname.split("/").filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== req.method) continue;
      let cached: Promise<Buffer> | undefined;
      const ctx: RouteContext = {
        req,
        res,
        params,
        query: url.searchParams,
        body: () => (cached ??= readBody(req)),
      };
      try {
        await route.handler(ctx);
      } catch (err) {
        if (err instanceof HttpError) sendJson(res, err.status, { code: err.code, message: err.message });
        else
          sendJson(res, 500, {
            code: "internal-error",
            message: err instanceof Error ? err.message : String(err),
          });
      }
      return;
    }
    if (pathMatched)
      sendJson(res, 405, { code: "method-not-allowed", message: `${req.method ?? "?"} not allowed` });
    else sendJson(res, 404, { code: "not-found", message: `no route for ${url.pathname}` });
  }
}

/** Params of a pattern match, or undefined. Segments are URL-decoded (schemes contain `[`). */
export function matchSegments(
  pattern: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    let part: string;
    try {
      part = decodeURIComponent(parts[i] as string);
    } catch {
      return undefined;
    }
    if (p.startsWith(":")) params[p.slice(1)] = part;
    else if (p.toLowerCase() !== part.toLowerCase()) return undefined;
  }
  return params;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Parses a JSON body. @throws {HttpError} 400 on malformed JSON. */
export async function jsonBody<T>(ctx: RouteContext): Promise<T | undefined> {
  const buf = await ctx.body();
  if (buf.length === 0) return undefined;
  try {
    return JSON.parse(buf.toString("utf8")) as T;
  } catch {
    throw new HttpError(400, "invalid-json", "request body is not JSON");
  }
}

const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, "too-large", "request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Only BTC is served. @throws {HttpError} 404 otherwise. */
export function requireBtc(ctx: RouteContext): void {
  if ((ctx.params.crypto ?? "").toUpperCase() !== "BTC")
    throw new HttpError(404, "cryptoCode-not-supported", `crypto ${ctx.params.crypto ?? "?"} not supported`);
}
