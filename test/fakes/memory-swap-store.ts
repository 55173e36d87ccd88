/**
 * The swap store port (src/swaps/ports/swap-store.ts) in memory, with the Postgres store's
 * semantics: a new swap starts in its type's initial status at version 0 with a "created" event;
 * `transition` is a compare-and-set on status (and version) that bumps the version, applies the
 * patch and appends one event, or changes nothing; event data is stored as JSON (bigints become
 * strings); a preimage that does not hash to its payment hash is refused. The same contract
 * suite (test/contracts/swap-store-contract.ts) runs on this store and on Postgres.
 */
import { createHash } from "node:crypto";
import { dbError } from "../../src/db/errors.js";
import type { NewSwap, Swap, SwapOf } from "../../src/domain/swap-records.js";
import { INITIAL_STATUS, isStatusOf, TERMINAL_STATUSES, type SwapType } from "../../src/domain/swap-types.js";
import type { SwapEvent, SwapFilter, SwapStore, Transition } from "../../src/swaps/ports/swap-store.js";

const HEX32 = /^[0-9a-f]{64}$/i;

function jsonRoundTrip(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value ?? {}, (_key, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
      return v;
    }),
  );
}

const isOpen = (s: Swap): boolean =>
  !(TERMINAL_STATUSES[s.type] as ReadonlySet<string>).has(s.status as string);

export class MemorySwapStore implements SwapStore {
  private readonly swaps = new Map<string, Swap>();
  private readonly log: SwapEvent[] = [];
  private readonly preimages = new Map<string, { preimage: string; settled: boolean }>();
  private nextEventId = 1n;
  private seq = 0;
  /** Insertion order (ties of createdAt broken the way a serial id would). */
  private readonly order = new Map<string, number>();

  async insert(swap: NewSwap, data: Record<string, unknown> = {}): Promise<Swap> {
    for (const s of this.swaps.values()) {
      if (s.id === swap.id || s.paymentHash === swap.paymentHash || s.lockupAddress === swap.lockupAddress) {
        throw dbError("db.duplicate", "a swap with this id, payment hash or lockup address exists already");
      }
    }
    const now = new Date();
    const common = {
      status: INITIAL_STATUS[swap.type],
      version: 0,
      createdAt: now,
      updatedAt: now,
      expiresAt: swap.expiresAt ?? null,
      failureReason: swap.failureReason ?? null,
    };
    const created: Swap =
      swap.type === "submarine"
        ? {
            ...swap,
            ...common,
            status: INITIAL_STATUS.submarine,
            receivedAmountSats: null,
            fundingOutpoints: [],
            paymentFeeMsat: null,
            claimTxid: null,
            refundTxid: null,
            refundSignedAt: null,
            refundedFrom: null,
          }
        : {
            ...swap,
            ...common,
            status: INITIAL_STATUS.reverse,
            description: swap.description ?? null,
            htlcExpiryHeight: null,
            fundingTxid: null,
            fundingOutpoint: null,
            claimTxid: null,
            refundTxid: null,
          };
    this.swaps.set(swap.id, created);
    this.order.set(swap.id, this.seq++);
    this.event(swap.id, null, created.status, "created", data);
    return created;
  }

  async find(id: string): Promise<Swap | undefined> {
    return this.swaps.get(id);
  }

  async findByPaymentHash(paymentHash: string): Promise<Swap | undefined> {
    return [...this.swaps.values()].find((s) => s.paymentHash === paymentHash);
  }

  async transition<T extends SwapType>(t: Transition<T>): Promise<SwapOf[T] | undefined> {
    if (!isStatusOf(t.type, t.from) || !isStatusOf(t.type, t.to)) {
      throw dbError("db.invalid_argument", `"${t.from}" → "${t.to}" is not a pair of ${t.type} statuses`);
    }
    const swap = this.swaps.get(t.id);
    if (swap === undefined || swap.type !== t.type || swap.status !== t.from) return undefined;
    if (t.expectedVersion !== undefined && swap.version !== t.expectedVersion) return undefined;
    const patch = Object.fromEntries(Object.entries(t.patch ?? {}).filter(([, v]) => v !== undefined));
    const after = {
      ...swap,
      ...patch,
      status: t.to,
      version: swap.version + 1,
      updatedAt: new Date(),
    } as SwapOf[T];
    this.swaps.set(t.id, after);
    this.event(t.id, t.from, t.to, t.event, t.data);
    return after;
  }

  async listOpen(): Promise<Swap[]> {
    const oldestFirst = (type: SwapType) => this.byAge().filter((s) => s.type === type && isOpen(s));
    return [...oldestFirst("submarine"), ...oldestFirst("reverse")];
  }

  async list(filter: SwapFilter = {}): Promise<Swap[]> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000);
    return this.byAge()
      .reverse()
      .filter((s) => filter.type === undefined || s.type === filter.type)
      .filter((s) => !filter.openOnly || isOpen(s))
      .filter(
        (s) =>
          filter.pubkey === undefined ||
          s.senderPubkey === filter.pubkey ||
          s.receiverPubkey === filter.pubkey,
      )
      .slice(0, limit);
  }

  async events(swapId: string): Promise<SwapEvent[]> {
    return this.log.filter((e) => e.swapId === swapId);
  }

  async savePreimage(paymentHash: string, preimage: string): Promise<void> {
    if (!HEX32.test(paymentHash) || !HEX32.test(preimage)) {
      throw dbError("db.invalid_argument", "the preimage does not hash to the payment hash");
    }
    const hash = createHash("sha256").update(Buffer.from(preimage, "hex")).digest("hex");
    if (hash !== paymentHash.toLowerCase()) {
      throw dbError("db.invalid_argument", "the preimage does not hash to the payment hash");
    }
    if (!this.preimages.has(paymentHash)) this.preimages.set(paymentHash, { preimage, settled: false });
  }

  async findPreimage(paymentHash: string): Promise<string | undefined> {
    return this.preimages.get(paymentHash)?.preimage;
  }

  async markPreimageSettled(paymentHash: string): Promise<void> {
    const p = this.preimages.get(paymentHash);
    if (p !== undefined) p.settled = true;
  }

  private byAge(): Swap[] {
    return [...this.swaps.values()].sort(
      (a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (this.order.get(a.id) ?? 0) - (this.order.get(b.id) ?? 0),
    );
  }

  private event(swapId: string, from: string | null, to: string, event: string, data: unknown): void {
    this.log.push({
      id: this.nextEventId++,
      swapId,
      fromStatus: from,
      toStatus: to,
      event,
      data: jsonRoundTrip(data),
      createdAt: new Date(),
    });
  }
}
