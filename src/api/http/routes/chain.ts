/** Chain information the clients' timeout math needs. */
import { HEIGHTS_SCHEMA } from "../response-schemas.js";
import { defineRoute, type Route } from "../router.js";

/** The chain routes. */
export const CHAIN_ROUTES: readonly Route[] = [
  defineRoute({
    method: "GET",
    path: "/v2/chain/heights",
    operationId: "getChainHeights",
    summary: "Current block heights by chain: {BTC, ARK}",
    tag: "Chain",
    status: 200,
    response: HEIGHTS_SCHEMA,
    handler: async ({ service }) => {
      const h = await service.heights();
      return { BTC: h.BTC, ARK: h.ARK };
    },
  }),
];
