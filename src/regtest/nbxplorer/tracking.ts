/**
 * What is tracked and by whom: derivation schemes (with their derived scripts and NBXplorer's
 * used/unused bookkeeping) and groups of watched addresses. Pure: "used" is asked of a
 * predicate (the chain index), derivation is done by derivation.ts.
 */
import { randomBytes } from "node:crypto";
import {
  deriveScript,
  parseDerivationScheme,
  REGTEST,
  type ChainNetwork,
  type DerivationScheme,
  type DerivedScript,
} from "./derivation.js";
import type { Feature } from "./types.js";

/** NBXplorer keeps this many unused addresses derived past the last used one. */
export const DEFAULT_GAP = 20;
export const FEATURES: readonly Feature[] = ["Deposit", "Change"];

/** Who owns a script: a derivation scheme (with key path) or a group's watched address. */
export type ScriptOwner =
  | { readonly kind: "scheme"; readonly scheme: string; readonly derived: DerivedScript }
  | { readonly kind: "group"; readonly groupId: string; readonly address: string };

export type IsUsed = (scriptPubKey: string) => boolean;

interface FeatureState {
  readonly scripts: DerivedScript[];
  readonly reserved: Set<number>;
}

/** One tracked derivation scheme. */
export class TrackedScheme {
  readonly trackedSource: string;
  private readonly features = new Map<Feature, FeatureState>();

  constructor(
    readonly parsed: DerivationScheme,
    private readonly network: ChainNetwork,
    private readonly onDerived: (d: DerivedScript) => void,
  ) {
    this.trackedSource = `DERIVATIONSCHEME:${parsed.scheme}`;
    for (const f of FEATURES) this.features.set(f, { scripts: [], reserved: new Set() });
  }

  get scheme(): string {
    return this.parsed.scheme;
  }

  /** Derived scripts of a feature, index order. */
  scripts(feature: Feature): readonly DerivedScript[] {
    return this.state(feature).scripts;
  }

  /** Derives up to (excluding) `count` for the feature. */
  deriveUpTo(feature: Feature, count: number): void {
    const st = this.state(feature);
    while (st.scripts.length < count) {
      const d = deriveScript(this.parsed, feature, st.scripts.length, this.network);
      st.scripts.push(d);
      this.onDerived(d);
    }
  }

  /** Keeps `gap` derived unused scripts past the highest used index of every feature. */
  ensureGap(isUsed: IsUsed, gap = DEFAULT_GAP): void {
    for (const f of FEATURES) {
      // Loop because deriving more can reveal more used scripts (funds sent far ahead).
      for (;;) {
        const before = this.state(f).scripts.length;
        this.deriveUpTo(f, this.highestUsed(f, isUsed) + 1 + gap);
        if (this.state(f).scripts.length === before) break;
      }
    }
  }

  /** Highest used or reserved index of a feature, -1 when none. */
  highestUsed(feature: Feature, isUsed: IsUsed): number {
    const st = this.state(feature);
    for (let i = st.scripts.length - 1; i >= 0; i--) {
      const s = st.scripts[i];
      if (s && (isUsed(s.scriptPubKey) || st.reserved.has(i))) return i;
    }
    return -1;
  }

  /**
   * NBXplorer's GET addresses/unused: the `skip`-th lowest unused index of the feature;
   * `reserve` marks it so the next call moves on.
   */
  unused(feature: Feature, skip: number, reserve: boolean, isUsed: IsUsed): DerivedScript {
    if (!Number.isInteger(skip) || skip < 0) throw new RangeError(`bad skip ${skip}`);
    const st = this.state(feature);
    let seen = 0;
    for (let i = 0; ; i++) {
      if (i >= st.scripts.length) this.deriveUpTo(feature, i + DEFAULT_GAP);
      const s = st.scripts[i];
      if (!s) throw new Error("derivation gap");
      if (isUsed(s.scriptPubKey) || st.reserved.has(i)) continue;
      if (seen++ < skip) continue;
      if (reserve) st.reserved.add(i);
      return s;
    }
  }

  private state(feature: Feature): FeatureState {
    const st = this.features.get(feature);
    if (!st) throw new Error(`unknown feature ${feature}`);
    return st;
  }
}

/** A group of watched addresses (NBXplorer `GROUP:<id>` tracked source). */
export interface Group {
  readonly groupId: string;
  readonly trackedSource: string;
  /** address → scriptPubKey. */
  readonly addresses: Map<string, string>;
}

/** What survives a restart (real NBXplorer keeps it in its database). */
export interface TrackingSnapshot {
  readonly schemes: string[];
  readonly groups: { readonly groupId: string; readonly addresses: [string, string][] }[];
}

/** Registry of tracked schemes, groups and the reverse map script → owners. */
export class TrackingRegistry {
  private readonly schemes = new Map<string, TrackedScheme>();
  private readonly groups = new Map<string, Group>();
  private readonly owners = new Map<string, ScriptOwner[]>();

  constructor(private readonly network: ChainNetwork = REGTEST) {}

  /**
   * Tracks a scheme (idempotent) and derives its gap.
   * @throws {Error} for a scheme that does not parse.
   */
  trackScheme(scheme: string, isUsed: IsUsed): TrackedScheme {
    const existing = this.schemes.get(scheme);
    if (existing) return existing;
    const parsed = parseDerivationScheme(scheme, this.network);
    const tracked = new TrackedScheme(parsed, this.network, (derived) =>
      this.addOwner(derived.scriptPubKey, { kind: "scheme", scheme, derived }),
    );
    this.schemes.set(scheme, tracked);
    tracked.ensureGap(isUsed);
    return tracked;
  }

  getScheme(scheme: string): TrackedScheme | undefined {
    return this.schemes.get(scheme);
  }

  allSchemes(): TrackedScheme[] {
    return [...this.schemes.values()];
  }

  /** Schemes and groups, for persisting. */
  snapshot(): TrackingSnapshot {
    return {
      schemes: [...this.schemes.keys()],
      groups: [...this.groups.values()].map((g) => ({ groupId: g.groupId, addresses: [...g.addresses] })),
    };
  }

  /** Re-creates what a snapshot holds (schemes re-derived, groups with their ids). */
  restore(snapshot: TrackingSnapshot, isUsed: IsUsed): void {
    for (const scheme of snapshot.schemes) this.trackScheme(scheme, isUsed);
    for (const g of snapshot.groups) {
      const group = this.createGroup(g.groupId);
      for (const [address, script] of g.addresses) this.addToGroup(group, address, script);
    }
  }

  createGroup(id?: string): Group {
    const groupId = id ?? randomBytes(12).toString("base64url");
    const group: Group = { groupId, trackedSource: `GROUP:${groupId}`, addresses: new Map() };
    this.groups.set(groupId, group);
    return group;
  }

  getGroup(groupId: string): Group | undefined {
    return this.groups.get(groupId);
  }

  deleteGroup(groupId: string): boolean {
    const group = this.groups.get(groupId);
    if (!group) return false;
    for (const address of [...group.addresses.keys()]) this.removeFromGroup(group, address);
    return this.groups.delete(groupId);
  }

  addToGroup(group: Group, address: string, scriptPubKey: string): void {
    if (group.addresses.has(address)) return;
    group.addresses.set(address, scriptPubKey);
    this.addOwner(scriptPubKey, { kind: "group", groupId: group.groupId, address });
  }

  removeFromGroup(group: Group, address: string): void {
    const script = group.addresses.get(address);
    if (script === undefined) return;
    group.addresses.delete(address);
    const list = (this.owners.get(script) ?? []).filter(
      (o) => !(o.kind === "group" && o.groupId === group.groupId && o.address === address),
    );
    if (list.length === 0) this.owners.delete(script);
    else this.owners.set(script, list);
  }

  /** Owners of a script (empty when nobody tracks it). */
  ownersOf(scriptPubKey: string): readonly ScriptOwner[] {
    return this.owners.get(scriptPubKey) ?? [];
  }

  private addOwner(scriptPubKey: string, owner: ScriptOwner): void {
    const list = this.owners.get(scriptPubKey);
    if (list) list.push(owner);
    else this.owners.set(scriptPubKey, [owner]);
  }
}
