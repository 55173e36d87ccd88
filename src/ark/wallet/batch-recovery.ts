/**
 * Recovery of batch reservations: a renewal interrupted by a crash (or whose batch outcome was
 * unknown) leaves its VTXOs reserved; the indexer decides what became of them.
 */
import { errFields } from "./logger.js";
import type { BatchServiceEnv } from "./batch-service.js";
import { parseOutpoint } from "../../domain/outpoint.js";

/**
 * Settles reservations no running renewal owns (left by a crash, or by a renewal whose batch
 * outcome was unknown): a batch whose inputs the indexer shows spent is settled (its new VTXO
 * arrives with the next rescan), any other is released. Never throws.
 * @returns how many batches were settled and released
 */
export async function recoverBatches(env: BatchServiceEnv): Promise<{ settled: number; released: number }> {
  const counts = { settled: 0, released: 0 };
  if (env.batchStore === undefined) return counts;
  let open: { batchKey: string; outpoints: string[] }[];
  try {
    open = await env.batchStore.openBatches();
  } catch (err) {
    env.log.error(errFields(err), "listing open batch reservations failed");
    return counts;
  }
  for (const { batchKey, outpoints } of open) {
    if (env.activeBatches.has(batchKey)) continue;
    try {
      const page = await env.ark.getVtxos({
        outpoints: outpoints.map((o) => parseOutpoint(o)),
      });
      const spent = page.vtxos.find((v) => v.flags.spent);
      if (spent !== undefined) {
        const by = spent.settledBy ?? spent.arkTxid ?? spent.spentBy ?? "unknown";
        await env.batchStore.settleBatch(batchKey, by, undefined);
        counts.settled++;
      } else {
        await env.batchStore.releaseBatch(batchKey);
        counts.released++;
      }
    } catch (err) {
      env.log.warn({ batchKey, ...errFields(err) }, "batch reservation not recovered yet");
    }
  }
  return counts;
}
