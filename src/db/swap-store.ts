/** The swap store port (src/swaps/ports/swap-store.ts) over Postgres: the repositories of src/db. */
import type { SwapStore } from "../swaps/ports/swap-store.js";
import { findPreimage, markPreimageSettled, savePreimage } from "./preimage-repository.js";
import {
  findSwap,
  findSwapByPaymentHash,
  insertSwap,
  listOpenSwaps,
  listSwapEvents,
  listSwaps,
  transition,
} from "./swap-repository.js";
import type { Executor } from "./transaction.js";

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
