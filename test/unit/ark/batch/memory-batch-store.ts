/**
 * BatchReservationStore in memory over a MemoryWalletStore's VTXOs, with the Postgres store's
 * semantics (all-or-nothing CAS reservation, idempotent settle/release).
 */
import type { BatchReservationStore } from "../../../../src/ark/wallet/batch-store.js";
import type { MemoryWalletStore } from "../wallet/memory-store.js";

export function memoryBatchStore(wallet: MemoryWalletStore): BatchReservationStore {
  const reserved = (key: string) =>
    [...wallet.vtxos.values()].filter((v) => v.state === "reserved" && v.reservedFor === key);
  return {
    async reserveForBatch(batchKey, outpoints) {
      if (outpoints.some((o) => wallet.vtxos.get(o)?.state !== "spendable")) return false;
      for (const o of outpoints) {
        const v = wallet.vtxos.get(o);
        if (v !== undefined) {
          v.state = "reserved";
          v.reservedFor = batchKey;
        }
      }
      return true;
    },
    async releaseBatch(batchKey) {
      for (const v of reserved(batchKey)) {
        v.state = "spendable";
        v.reservedFor = null;
      }
    },
    async settleBatch(batchKey, commitmentTxid, output) {
      for (const v of reserved(batchKey)) {
        v.state = "spent";
        v.spentBy = commitmentTxid;
        v.reservedFor = null;
      }
      if (output !== undefined && !wallet.vtxos.has(output.outpoint))
        wallet.vtxos.set(output.outpoint, {
          ...output,
          state: "spendable",
          reservedFor: null,
          spentBy: null,
        });
    },
    async openBatches() {
      const byKey = new Map<string, string[]>();
      for (const v of wallet.vtxos.values())
        if (v.state === "reserved" && v.reservedFor?.startsWith("batch:") === true)
          byKey.set(v.reservedFor, [...(byKey.get(v.reservedFor) ?? []), v.outpoint]);
      return [...byKey].map(([batchKey, outpoints]) => ({ batchKey, outpoints }));
    },
  };
}
