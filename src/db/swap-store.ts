/** The swap store port (src/swaps/ports/swap-store.ts) over Postgres: the repositories of src/db. */
import type { SwapStore } from "../swaps/ports/swap-store.js";
import { findPreimage, markPreimageSettled, savePreimage } from "./preimage-repository.js";
import type { Swap } from "../domain/swap-records.js";
import type { SwapType } from "../domain/swap-types.js";
import {
  findSwap,
  findSwapByPaymentHash,
  findSwapOfType,
  insertSwap,
  listOpenSwaps,
  listSwapEvents,
  listSwaps,
  transition,
} from "./swap-repository.js";
import type { Executor } from "./transaction.js";

/** How many swap types `find` remembers (a swap's type never changes; beyond this it starts over). */
const KNOWN_TYPES_MAX = 50_000;

/** The store over a kysely database (or transaction). */
export function createSwapStore(db: Executor): SwapStore {
  // a swap's type is fixed at insert: knowing it, `find` reads the swap in one statement (the
  // shared row joined with its per-type row) instead of two
  const knownTypes = new Map<string, SwapType>();
  const remember = <S extends Swap | undefined>(swap: S): S => {
    if (swap !== undefined) {
      if (knownTypes.size >= KNOWN_TYPES_MAX) knownTypes.clear();
      knownTypes.set(swap.id, swap.type);
    }
    return swap;
  };
  return {
    insert: async (swap, data) => remember(await insertSwap(db, swap, data)),
    find: async (id) => {
      const type = knownTypes.get(id);
      const known = type === undefined ? undefined : await findSwapOfType(db, id, type);
      // unknown type, or no such swap of it: the two-statement read (tells missing from corrupt)
      return known ?? remember(await findSwap(db, id));
    },
    findByPaymentHash: async (hash) => remember(await findSwapByPaymentHash(db, hash)),
    transition: async (t) => remember(await transition(db, t)),
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
