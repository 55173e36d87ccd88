/**
 * Route definitions and path matching. A route is data: method, path template (`{id}` segments),
 * body schema, response schema and handler, so the OpenAPI document and the router read the
 * same table. Literal segments win over parameters (`/v2/swap/submarine` is not swap
 * "submarine"); a path that exists under other methods answers 405 with `Allow`.
 */
import type { Logger } from "../../lib/logger.js";
import type { SwapService } from "../../swaps/ports/swap-service.js";
import { apiError } from "./errors.js";
import type { JsonSchema, Schema } from "./schema.js";

export type HttpMethod = "GET" | "POST";

export interface RouteContext<B> {
  /** Percent-decoded path parameters by name. */
  readonly params: Readonly<Record<string, string>>;
  /** The validated body (`undefined` for routes without a body schema). */
  readonly body: B;
  readonly service: SwapService;
  readonly log: Logger;
}

export interface Route<B = unknown> {
  readonly method: HttpMethod;
  /** Path template, e.g. `/v2/swap/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /** Body schema; routes without one ignore any body. */
  readonly body?: Schema<B>;
  /** Success status (200, or 201 for creations as Boltz answers). */
  readonly status: number;
  /** JSON Schema of the success body. */
  readonly response: JsonSchema;
  /** Error statuses this route may answer with besides the generic ones (documentation). */
  readonly errors?: readonly number[];
  /** Descriptions of this route's statuses where the generic ones would mislead (documentation). */
  readonly reasons?: Readonly<Record<number, string>>;
  readonly handler: (ctx: RouteContext<B>) => Promise<unknown>;
}

/** Keeps the body type of a route while storing it in a heterogeneous table. */
export function defineRoute<B>(route: Route<B>): Route<unknown> {
  return route as Route<unknown>;
}

export type RouteMatch =
  | { readonly kind: "found"; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: "method_not_allowed"; readonly allow: readonly HttpMethod[] }
  | { readonly kind: "not_found" };

type Segment = { readonly literal: string } | { readonly param: string };

/** A path matcher over a fixed route table. */
export class Router {
  private readonly compiled: readonly { route: Route; segments: readonly Segment[] }[];

  /** @throws Error when two routes share method and template */
  constructor(readonly routes: readonly Route[]) {
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) throw new Error(`duplicate route ${key}`);
      seen.add(key);
    }
    this.compiled = routes.map((route) => ({ route, segments: compile(route.path) }));
  }

  /**
   * Finds the route for `method` and a raw (still percent-encoded, query-free) `pathname`.
   * @throws GatewayError `request.invalid_id` when a parameter is not valid percent-encoding
   */
  match(method: string, pathname: string): RouteMatch {
    const parts = pathname.split("/").slice(1);
    let best: { score: string; entries: { route: Route; params: Record<string, string> }[] } | undefined;
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, parts);
      if (params === undefined) continue;
      const score = c.segments.map((s) => ("literal" in s ? "1" : "0")).join("");
      if (best === undefined || score > best.score) best = { score, entries: [{ route: c.route, params }] };
      else if (score === best.score) best.entries.push({ route: c.route, params });
    }
    if (best === undefined) return { kind: "not_found" };
    const hit = best.entries.find((e) => e.route.method === method);
    if (hit !== undefined) return { kind: "found", route: hit.route, params: decodeParams(hit.params) };
    return { kind: "method_not_allowed", allow: best.entries.map((e) => e.route.method) };
  }
}

function compile(path: string): Segment[] {
  return path
    .split("/")
    .slice(1)
    .map((s) => (s.startsWith("{") && s.endsWith("}") ? { param: s.slice(1, -1) } : { literal: s }));
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment;
    const part = parts[i] as string;
    if ("literal" in seg) {
      if (seg.literal !== part) return undefined;
    } else {
      if (part.length === 0) return undefined;
      params[seg.param] = part;
    }
  }
  return params;
}

function decodeParams(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      throw apiError("request.invalid_id", `path parameter ${k} is not valid percent-encoding`);
    }
  }
  return out;
}
