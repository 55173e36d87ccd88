/**
 * WalletStore in memory with the Postgres store's semantics (CAS reservations, a failed record
 * replaced by a new attempt, finalize/fail idempotent), for unit tests. The integration tests
 * run the same wallet scenarios on the real Postgres store.
 */
import type { Coin } from "../../src/ark/wallet/coin-selection.js";
import type {
  CreateSpendResult,
  NewSpendRecord,
  ObservedVtxo,
  SpendRecord,
  WalletStore,
} from "../../src/ark/wallet/store.js";

export interface MemVtxo {
  outpoint: string;
  amountSats: bigint;
  script: string;
  state: "spendable" | "reserved" | "spent" | "swept";
  reservedFor: string | null;
  spentBy: string | null;
  expiresAt?: bigint | undefined;
  offchainUntil?: bigint | undefined;
}

export class MemoryWalletStore implements WalletStore {
  readonly vtxos = new Map<string, MemVtxo>();
  readonly spends = new Map<string, SpendRecord>();
  readonly keys = new Map<bigint, string>();
  readonly swapKeys = new Map<string, bigint>();

  async swapKey(swapId: string, derive: (i: bigint) => string) {
    const existing = this.swapKeys.get(swapId);
    if (existing !== undefined) return { index: existing, publicKey: this.keys.get(existing) as string };
    const index = BigInt(this.keys.size);
    this.keys.set(index, derive(index));
    this.swapKeys.set(swapId, index);
    return { index, publicKey: this.keys.get(index) as string };
  }

  async spendableVtxos(): Promise<Coin[]> {
    return [...this.vtxos.values()]
      .filter((v) => v.state === "spendable")
      .map((v) => ({
        outpoint: v.outpoint,
        amountSats: v.amountSats,
        expiresAt: v.expiresAt,
        offchainUntil: v.offchainUntil,
      }));
  }

  async observeVtxos(vtxos: readonly ObservedVtxo[]): Promise<void> {
    for (const v of vtxos) {
      const state = v.spent ? "spent" : v.swept ? "swept" : "spendable";
      const known = this.vtxos.get(v.outpoint);
      if (known === undefined) {
        this.vtxos.set(v.outpoint, {
          outpoint: v.outpoint,
          amountSats: v.amountSats,
          script: v.script,
          state,
          reservedFor: null,
          spentBy: v.spentBy ?? null,
          expiresAt: v.expiresAt,
          offchainUntil: v.offchainUntil,
        });
      } else {
        const movable = known.state === "spendable" || (known.state === "swept" && state === "spent");
        if (movable && state !== "spendable" && state !== known.state) {
          known.state = state;
          if (v.spentBy !== undefined) known.spentBy = v.spentBy;
        }
        known.expiresAt ??= v.expiresAt;
        if (v.offchainUntil !== undefined) known.offchainUntil = v.offchainUntil;
      }
    }
  }

  async createSpend(record: NewSpendRecord): Promise<CreateSpendResult> {
    const existing = this.spends.get(record.id);
    if (existing !== undefined && existing.state !== "failed") return "exists";
    if (record.reservedOutpoints.some((o) => this.vtxos.get(o)?.state !== "spendable"))
      return "reservation_conflict";
    for (const o of record.reservedOutpoints) {
      const v = this.vtxos.get(o) as MemVtxo;
      v.state = "reserved";
      v.reservedFor = record.id;
    }
    this.spends.set(record.id, {
      ...record,
      state: "submitting",
      serverArkTx: null,
      serverCheckpointTxs: null,
      failureReason: null,
    });
    return "created";
  }

  async getSpend(id: string) {
    return this.spends.get(id);
  }

  async openSpends() {
    return [...this.spends.values()].filter((s) => s.state === "submitting" || s.state === "submitted");
  }

  async markSubmitted(id: string, serverArkTx: string, serverCheckpointTxs: readonly string[]) {
    const s = this.spends.get(id);
    if (s?.state === "submitting")
      this.spends.set(id, { ...s, state: "submitted", serverArkTx, serverCheckpointTxs });
  }

  async finalizeSpend(
    id: string,
    newVtxos: readonly { outpoint: string; amountSats: bigint; script: string }[],
  ) {
    const s = this.spends.get(id);
    if (s === undefined) throw new Error(`no spend ${id}`);
    if (s.state === "finalized") return s;
    const finalized = { ...s, state: "finalized" as const, failureReason: null };
    this.spends.set(id, finalized);
    for (const o of s.inputOutpoints) {
      const v = this.vtxos.get(o);
      if (v !== undefined && (v.state === "reserved" || v.state === "spendable")) {
        v.state = "spent";
        v.spentBy = s.arkTxid;
        v.reservedFor = null;
      }
    }
    for (const n of newVtxos)
      if (!this.vtxos.has(n.outpoint))
        this.vtxos.set(n.outpoint, { ...n, state: "spendable", reservedFor: null, spentBy: null });
    return finalized;
  }

  async failSpend(id: string, reason: string) {
    const s = this.spends.get(id);
    if (s === undefined || (s.state !== "submitting" && s.state !== "submitted")) return;
    this.spends.set(id, { ...s, state: "failed", failureReason: reason });
    for (const o of s.reservedOutpoints) {
      const v = this.vtxos.get(o);
      if (v?.state === "reserved" && v.reservedFor === id) {
        v.state = "spendable";
        v.reservedFor = null;
      }
    }
  }
}
