/**
 * One async mutex per swap id (ARCHITECTURE invariant 5): work on a swap runs strictly one piece
 * after the other inside this process, whoever triggered it (stream hint, timer, API call).
 * Across processes the compare-and-set in the repository is the guard.
 */
import { KeyedMutex } from "../lib/keyed-mutex.js";

export class SwapLocks extends KeyedMutex {}
