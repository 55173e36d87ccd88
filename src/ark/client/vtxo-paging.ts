import { arkError } from "./errors.js";
import type { ArkIndexerPort } from "./port.js";
import type { ArkCallOptions, Vtxo, VtxoQuery } from "./types.js";

/** Upper bound on pages followed, so a misbehaving indexer cannot loop us forever. */
const MAX_PAGES = 10_000;

/**
 * Fetches every VTXO matching a query, page by page (arkd pages are 1-based; the last page
 * is reached when `current >= total`).
 * @param indexer the indexer port
 * @param query scripts or outpoints and an optional status filter (its `page` is ignored)
 * @param pageSize VTXOs per request (default 500)
 * @param opts per-request deadline / abort signal
 * @returns all VTXOs in arkd's order
 * @throws GatewayError from the port, or `ark.invalid_response` if pages do not advance
 */
export async function listAllVtxos(
  indexer: ArkIndexerPort,
  query: Omit<VtxoQuery, "page">,
  pageSize = 500,
  opts?: ArkCallOptions,
): Promise<Vtxo[]> {
  const all: Vtxo[] = [];
  let index = 1;
  for (let n = 0; n < MAX_PAGES; n++) {
    const res = await indexer.getVtxos({ ...query, page: { index, size: pageSize } }, opts);
    all.push(...res.vtxos);
    const page = res.page;
    if (page === undefined || page.current >= page.total || res.vtxos.length === 0) return all;
    if (page.next <= index) {
      throw arkError("ark.invalid_response", "GetVtxos: page.next does not advance", {
        current: page.current,
        next: page.next,
        total: page.total,
      });
    }
    index = page.next;
  }
  throw arkError("ark.invalid_response", `GetVtxos: more than ${MAX_PAGES} pages`, {});
}
