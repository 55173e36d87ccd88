/**
 * The OpenAPI 3.1 document, generated from the route table: every route's path, method, path
 * parameters, request body schema (the validating schema's own JSON Schema) and responses.
 */
import { ERROR_SCHEMA } from "./response-schemas.js";
import type { Route } from "./router.js";

const REASONS: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  400: "Invalid request",
  404: "Unknown swap: the error text contains `could not find swap`",
  405: "Method not allowed",
  413: "Body too large",
  415: "Unsupported media type",
  500: "Internal error",
};

/**
 * Builds the document for `routes`.
 * @param version the gateway version (`info.version`)
 */
export function buildOpenApi(routes: readonly Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const item = (paths[r.path] ??= {});
    item[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "ark-ln-gateway",
      version,
      description:
        "Boltz v2 compatible swap API for the ARK/BTC pair: submarine (Ark → Lightning) and " +
        "reverse (Lightning → Ark) swaps; chain swaps are not offered (`/v2/swap/chain` answers " +
        "404 `request.chain_swaps_unsupported`). Errors are `{error, code}`; an unknown swap is " +
        "404 `swap.not_found` with `could not find swap` in its text. Swap status updates stream " +
        "over the WebSocket at /v2/ws (`subscribe`/`unsubscribe` on channel `swap.update`, " +
        "answered by `update` events; `ping` → `pong` is optional: the server's protocol-level " +
        "pings keep an idle connection open).",
    },
    paths,
    components: { schemas: { Error: ERROR_SCHEMA } },
  };
}

function operation(r: Route): Record<string, unknown> {
  const params = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
  }));
  const reason = (status: number, fallback: string): string =>
    r.reasons?.[status] ?? REASONS[status] ?? fallback;
  const responses: Record<string, unknown> = {
    [String(r.status)]: {
      description: reason(r.status, "OK"),
      content: { "application/json": { schema: r.response } },
    },
  };
  const errorStatuses = new Set([...(r.errors ?? []), ...(r.body === undefined ? [] : [400, 413, 415]), 500]);
  for (const s of [...errorStatuses].sort()) {
    if (s === r.status) continue;
    responses[String(s)] = {
      description: reason(s, "Error"),
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return {
    operationId: r.operationId,
    summary: r.summary,
    tags: [r.tag],
    ...(params.length === 0 ? {} : { parameters: params }),
    ...(r.body === undefined
      ? {}
      : { requestBody: { required: true, content: { "application/json": { schema: r.body.json } } } }),
    responses,
  };
}
