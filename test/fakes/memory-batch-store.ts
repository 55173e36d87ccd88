/**
 * BatchReservationStore in memory over a MemoryWalletStore's VTXOs, with the Postgres store's
 * semantics (all-or-nothing CAS reservation, idempotent settle/release).
 */
import { SWEPT_RESERVATION_SUFFIX, type BatchReservationStore } from "../../src/ark/wallet/batch-store.js";
import type { MemoryWalletStore } from "./memory-wallet-store.js";

export function memoryBatchStore(wallet: MemoryWalletStore): BatchReservationStore {
  const swept = (key: string) => `${key}${SWEPT_RESERVATION_SUFFIX}`;
  const reserved = (key: string) =>
    [...wallet.vtxos.values()].filter(
      (v) => v.state === "reserved" && (v.reservedFor === key || v.reservedFor === swept(key)),
    );
  return {
    async reserveForBatch(batchKey, outpoints) {
      const free = (o: string) => ["spendable", "swept"].includes(wallet.vtxos.get(o)?.state ?? "");
      if (!outpoints.every(free)) return false;
      for (const o of outpoints) {
        const v = wallet.vtxos.get(o);
        if (v !== undefined) {
          v.reservedFor = v.state === "swept" ? swept(batchKey) : batchKey;
          v.state = "reserved";
        }
      }
      return true;
    },
    async releaseBatch(batchKey) {
      for (const v of reserved(batchKey)) {
        v.state = v.reservedFor === swept(batchKey) ? "swept" : "spendable";
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
        if (v.state === "reserved" && v.reservedFor?.startsWith("batch:") === true) {
          const key = v.reservedFor.replace(SWEPT_RESERVATION_SUFFIX, "");
          byKey.set(key, [...(byKey.get(key) ?? []), v.outpoint]);
        }
      return [...byKey].map(([batchKey, outpoints]) => ({ batchKey, outpoints }));
    },
    async batchCandidates() {
      return [...wallet.vtxos.values()]
        .filter((v) => v.state === "spendable" || v.state === "swept")
        .map((v) => ({
          outpoint: v.outpoint,
          amountSats: v.amountSats,
          expiresAt: v.expiresAt,
          offchainUntil: v.offchainUntil,
          swept: v.state === "swept",
        }));
    },
  };
}
