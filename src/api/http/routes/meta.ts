/** Service metadata: the version and the OpenAPI document describing every route. */
import { VERSION_SCHEMA } from "../response-schemas.js";
import { defineRoute, type Route } from "../router.js";

/**
 * The meta routes.
 * @param version the gateway version
 * @param openApi returns the OpenAPI document (built over the full table, including these)
 */
export function metaRoutes(version: string, openApi: () => unknown): readonly Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/v2/version",
      operationId: "getVersion",
      summary: "The gateway version",
      tag: "Meta",
      status: 200,
      response: VERSION_SCHEMA,
      handler: async () => ({ version }),
    }),
    defineRoute({
      method: "GET",
      path: "/openapi.json",
      operationId: "getOpenApi",
      summary: "This OpenAPI 3.1 document",
      tag: "Meta",
      status: 200,
      response: { type: "object", required: ["openapi", "info", "paths"] },
      handler: async () => openApi(),
    }),
  ];
}
