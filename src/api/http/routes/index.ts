/** The whole route table of the Boltz v2 API. */
import { buildOpenApi } from "../openapi.js";
import type { Route } from "../router.js";
import { CHAIN_ROUTES } from "./chain.js";
import { CHAIN_SWAP_ROUTES } from "./chain-swaps.js";
import { metaRoutes } from "./meta.js";
import { REVERSE_ROUTES } from "./reverse.js";
import { SUBMARINE_ROUTES } from "./submarine.js";
import { SWAP_ROUTES } from "./swaps.js";

/**
 * Every route, plus the OpenAPI document over exactly these routes.
 * @param version the gateway version (served at /v2/version and in the document)
 */
export function apiRoutes(version: string): { routes: readonly Route[]; openApi: Record<string, unknown> } {
  let doc: Record<string, unknown> = {};
  const routes = [
    ...SUBMARINE_ROUTES,
    ...REVERSE_ROUTES,
    ...SWAP_ROUTES,
    ...CHAIN_SWAP_ROUTES,
    ...CHAIN_ROUTES,
    ...metaRoutes(version, () => doc),
  ];
  doc = buildOpenApi(routes, version);
  return { routes, openApi: doc };
}
