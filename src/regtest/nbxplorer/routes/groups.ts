/**
 * Group routes (NBXplorer "tracked source groups"): arkd-wallet's blockchain scanner keeps one
 * group of watched addresses (boarding/exit scripts) and listens for its newtransaction events.
 */
import { addressToScript } from "../derivation.js";
import type { Explorer } from "../explorer.js";
import { HttpError, jsonBody, requireBtc, sendJson, type RouteContext, type Router } from "../http.js";
import type { Group } from "../tracking.js";
import type { GroupResponse } from "../types.js";
import { buildUtxos } from "../utxos.js";

/** Registers the group routes. */
export function registerGroupRoutes(router: Router, explorer: Explorer): void {
  router.on("POST", "/v1/groups", (ctx) => {
    const g = explorer.registry.createGroup();
    explorer.persist();
    sendJson(ctx.res, 200, groupResponse(g));
  });

  router.on("GET", "/v1/groups/:id", (ctx) => {
    sendJson(ctx.res, 200, groupResponse(group(explorer, ctx)));
  });

  router.on("DELETE", "/v1/groups/:id", (ctx) => {
    if (!explorer.registry.deleteGroup(ctx.params.id ?? "")) throw notFound();
    explorer.persist();
    sendJson(ctx.res, 200, {});
  });

  // Children are tracked sources; only ADDRESS:<addr> children are supported (all arkd-wallet uses).
  router.on("POST", "/v1/groups/:id/children", async (ctx) => {
    const g = group(explorer, ctx);
    for (const address of await childAddresses(ctx))
      explorer.registry.addToGroup(g, address, toScript(explorer, address));
    sendJson(ctx.res, 200, groupResponse(g));
  });

  router.on("DELETE", "/v1/groups/:id/children", async (ctx) => {
    const g = group(explorer, ctx);
    for (const address of await childAddresses(ctx)) explorer.registry.removeFromGroup(g, address);
    explorer.persist();
    sendJson(ctx.res, 200, groupResponse(g));
  });

  const addAddresses = async (ctx: RouteContext): Promise<void> => {
    if (ctx.params.crypto !== undefined) requireBtc(ctx);
    const g = group(explorer, ctx);
    const body = await jsonBody<unknown>(ctx);
    if (!Array.isArray(body) || !body.every((a) => typeof a === "string"))
      throw new HttpError(400, "invalid-addresses", "expected a JSON array of addresses");
    const scripts = (body as string[]).map((a) => [a, toScript(explorer, a)] as const);
    for (const [address, script] of scripts) explorer.registry.addToGroup(g, address, script);
    explorer.persist();
    sendJson(ctx.res, 200, groupResponse(g));
  };
  router.on("POST", "/v1/cryptos/:crypto/groups/:id/addresses", addAddresses);
  router.on("POST", "/v1/groups/:id/addresses", addAddresses);

  router.on("GET", "/v1/cryptos/:crypto/groups/:id/utxos", async (ctx) => {
    requireBtc(ctx);
    const g = group(explorer, ctx);
    await explorer.sync.refresh();
    const owned = [...g.addresses].map(([address, scriptPubKey]) => ({ address, scriptPubKey }));
    sendJson(ctx.res, 200, buildUtxos(explorer.index, owned, g.trackedSource));
  });
}

function groupResponse(g: Group): GroupResponse {
  return {
    groupId: g.groupId,
    trackedSource: g.trackedSource,
    children: [...g.addresses.keys()].map((a) => ({
      trackedSource: `ADDRESS:${a}`,
      cryptoCode: "BTC" as const,
    })),
  };
}

function group(explorer: Explorer, ctx: RouteContext): Group {
  const g = explorer.registry.getGroup(ctx.params.id ?? "");
  if (!g) throw notFound();
  return g;
}

function notFound(): HttpError {
  return new HttpError(404, "group-not-found", "group not found");
}

async function childAddresses(ctx: RouteContext): Promise<string[]> {
  const body = await jsonBody<unknown>(ctx);
  if (!Array.isArray(body))
    throw new HttpError(400, "invalid-children", "expected an array of tracked sources");
  return body.map((child: unknown) => {
    const source = (child as { trackedSource?: unknown }).trackedSource;
    if (typeof source !== "string" || !source.startsWith("ADDRESS:"))
      throw new HttpError(400, "unsupported-child", "only ADDRESS:<address> children are supported");
    return source.slice("ADDRESS:".length);
  });
}

function toScript(explorer: Explorer, address: string): string {
  try {
    return addressToScript(address, explorer.network);
  } catch (err) {
    throw new HttpError(
      400,
      "invalid-address",
      `${address}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
