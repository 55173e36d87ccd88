import { HDKey } from "@scure/bip32";
import { describe, expect, it } from "vitest";
import { REGTEST } from "../../../../src/regtest/nbxplorer/derivation.js";
import { DEFAULT_GAP, TrackingRegistry } from "../../../../src/regtest/nbxplorer/tracking.js";

const TPUB = HDKey.fromMasterSeed(new Uint8Array(32).fill(9), REGTEST.bip32).derive(
  "m/86'/1'/0'",
).publicExtendedKey;
const SCHEME = `${TPUB}-[taproot]`;

describe("TrackingRegistry", () => {
  it("derives the gap for both features on track, idempotently", () => {
    const reg = new TrackingRegistry();
    const t = reg.trackScheme(SCHEME, () => false);
    expect(t.scripts("Deposit")).toHaveLength(DEFAULT_GAP);
    expect(t.scripts("Change")).toHaveLength(DEFAULT_GAP);
    expect(reg.trackScheme(SCHEME, () => false)).toBe(t);
    const first = t.scripts("Deposit")[0];
    expect(first?.keyPath).toBe("0/0");
    expect(reg.ownersOf(first?.scriptPubKey ?? "")).toEqual([
      { kind: "scheme", scheme: SCHEME, derived: first },
    ]);
  });

  it("answers unused addresses like NBXplorer: lowest unused, skip, reserve", () => {
    const reg = new TrackingRegistry();
    const used = new Set<string>();
    const isUsed = (s: string): boolean => used.has(s);
    const t = reg.trackScheme(SCHEME, isUsed);
    const d = t.scripts("Deposit");
    expect(t.unused("Deposit", 0, false, isUsed).index).toBe(0);
    used.add(d[0]?.scriptPubKey ?? "");
    used.add(d[2]?.scriptPubKey ?? "");
    expect(t.unused("Deposit", 0, false, isUsed).index).toBe(1);
    expect(t.unused("Deposit", 1, false, isUsed).index).toBe(3);
    expect(t.unused("Deposit", 0, true, isUsed).index).toBe(1);
    expect(t.unused("Deposit", 0, false, isUsed).index).toBe(3);
    expect(t.unused("Change", 0, false, isUsed).keyPath).toBe("1/0");
    expect(t.unused("Deposit", 50, false, isUsed).index).toBe(53);
  });

  it("extends the gap past the highest used index", () => {
    const reg = new TrackingRegistry();
    const used = new Set<string>();
    const t = reg.trackScheme(SCHEME, (s) => used.has(s));
    used.add(t.scripts("Deposit")[DEFAULT_GAP - 1]?.scriptPubKey ?? "");
    t.ensureGap((s) => used.has(s));
    expect(t.scripts("Deposit")).toHaveLength(2 * DEFAULT_GAP);
    expect(t.scripts("Change")).toHaveLength(DEFAULT_GAP);
  });

  it("keeps groups of watched addresses and forgets removed ones", () => {
    const reg = new TrackingRegistry();
    const g = reg.createGroup();
    expect(g.trackedSource).toBe(`GROUP:${g.groupId}`);
    reg.addToGroup(g, "addr1", "5120aa");
    reg.addToGroup(g, "addr1", "5120aa");
    expect(reg.ownersOf("5120aa")).toEqual([{ kind: "group", groupId: g.groupId, address: "addr1" }]);
    reg.removeFromGroup(g, "addr1");
    expect(reg.ownersOf("5120aa")).toEqual([]);
    reg.addToGroup(g, "addr2", "5120bb");
    expect(reg.deleteGroup(g.groupId)).toBe(true);
    expect(reg.ownersOf("5120bb")).toEqual([]);
    expect(reg.getGroup(g.groupId)).toBeUndefined();
  });

  it("rejects a bad scheme", () => {
    expect(() => new TrackingRegistry().trackScheme("xpubnope", () => false)).toThrow();
  });
});
