/**
 * The swap engine's view of persistence: the repositories of src/db bound to one database.
 * Every status change goes through `transition` (compare-and-set + event row, invariant 4).
 */
import type { NewSwap, Swap } from "../domain/swap-records.js";
import type { SwapType } from "../domain/swap-types.js";
import { findPreimage, markPreimageSettled, savePreimage } from "../db/preimage-repository.js";
import {
  findSwap,
  findSwapByPaymentHash,
  insertSwap,
  listOpenSwaps,
  listSwapEvents,
  listSwaps,
  transition,
  type SwapEvent,
  type SwapFilter,
  type Transition,
} from "../db/swap-repository.js";
import type { Executor } from "../db/transaction.js";

export interface SwapStore {
  /** @throws GatewayError `db.duplicate` */
  insert(swap: NewSwap, data?: Record<string, unknown>): Promise<Swap>;
  find(id: string): Promise<Swap | undefined>;
  findByPaymentHash(paymentHash: string): Promise<Swap | undefined>;
  /** CAS + event row; false when the swap moved on meanwhile (nothing written). */
  transition<T extends SwapType>(t: Transition<T>): Promise<boolean>;
  /** Every swap of both types the engine still works on. */
  listOpen(): Promise<Swap[]>;
  list(filter?: SwapFilter): Promise<Swap[]>;
  events(swapId: string): Promise<SwapEvent[]>;
  /** Idempotent; the database refuses a preimage that does not hash to `paymentHash`. */
  savePreimage(paymentHash: string, preimage: string): Promise<void>;
  /** The stored preimage (a secret: never log it), or undefined. */
  findPreimage(paymentHash: string): Promise<string | undefined>;
  markPreimageSettled(paymentHash: string): Promise<void>;
}

/** The store over a kysely database (or transaction). */
export function createSwapStore(db: Executor): SwapStore {
  return {
    insert: (swap, data) => insertSwap(db, swap, data),
    find: (id) => findSwap(db, id),
    findByPaymentHash: (hash) => findSwapByPaymentHash(db, hash),
    transition: (t) => transition(db, t),
    listOpen: async () => [
      ...(await listOpenSwaps(db, "submarine")),
      ...(await listOpenSwaps(db, "reverse")),
    ],
    list: (filter) => listSwaps(db, filter),
    events: (id) => listSwapEvents(db, id),
    savePreimage: async (hash, preimage) => {
      await savePreimage(db, hash, preimage);
    },
    findPreimage: async (hash) => (await findPreimage(db, hash))?.preimage,
    markPreimageSettled: async (hash) => {
      await markPreimageSettled(db, hash);
    },
  };
}
