/**
 * A stored VHTLC's build, remembered per GetInfo answer. Every step of a swap, and the wallet
 * before each spend, rebuilds the same VHTLC from the same stored parameters and the same cached
 * GetInfo object: parse, arkd's rules, six leaf scripts, a taptree and a taproot tweak (an
 * elliptic-curve multiplication). Only a build that succeeded is remembered, keyed by the GetInfo
 * object (a new answer, e.g. after the server rotated its key, starts afresh and is checked
 * again) and by every stored parameter.
 */
import type { StoredVhtlc } from "./stored-vhtlc.js";
import type { Vhtlc } from "./vhtlc.js";

/** Builds remembered per GetInfo object (beyond it the map starts over). */
const MAX_PER_INFO = 10_000;
const byInfo = new WeakMap<object, Map<string, Vhtlc>>();

function keyOf(v: StoredVhtlc): string {
  return [
    v.senderPubkey,
    v.receiverPubkey,
    v.serverPubkey,
    v.preimageHash160,
    v.refundLocktime,
    v.unilateralClaimDelay,
    v.unilateralRefundDelay,
    v.unilateralRefundWithoutReceiverDelay,
  ].join("|");
}

/**
 * `build()`'s VHTLC for `stored` checked against `info`, or the one built before for the same
 * stored parameters and the same `info` object.
 * @param build parses, validates against `info` and builds; what it throws is thrown (not remembered)
 */
export function rememberedVhtlc(stored: StoredVhtlc, info: object, build: () => Vhtlc): Vhtlc {
  let builds = byInfo.get(info);
  if (builds === undefined) {
    builds = new Map();
    byInfo.set(info, builds);
  }
  const key = keyOf(stored);
  const known = builds.get(key);
  if (known !== undefined) return known;
  const built = build();
  if (builds.size >= MAX_PER_INFO) builds.clear();
  builds.set(key, built);
  return built;
}
