/**
 * Derivation-scheme routes: track, UTXOs, UTXO-set scan (+ status), script → key path, and the
 * next unused address.
 */
import type { Explorer } from "../explorer.js";
import { HttpError, requireBtc, sendJson, type RouteContext, type Router } from "../http.js";
import type { TrackedScheme } from "../tracking.js";
import type { Feature, KeyPathInformation } from "../types.js";
import { buildUtxos, type OwnedScript } from "../utxos.js";
import type { DerivedScript } from "../derivation.js";

const BASE = "/v1/cryptos/:crypto/derivations/:scheme";

/** Registers the derivation routes. */
export function registerDerivationRoutes(router: Router, explorer: Explorer): void {
  router.on("POST", BASE, (ctx) => {
    requireBtc(ctx);
    track(explorer, ctx);
    sendJson(ctx.res, 200, {});
  });

  router.on("GET", `${BASE}/utxos`, async (ctx) => {
    requireBtc(ctx);
    const scheme = tracked(explorer, ctx);
    await explorer.sync.refresh();
    const owned: OwnedScript[] = [];
    for (const feature of ["Deposit", "Change"] as const)
      for (const d of scheme.scripts(feature)) owned.push(ownedOf(d));
    sendJson(ctx.res, 200, buildUtxos(explorer.index, owned, scheme.trackedSource, scheme.scheme));
  });

  router.on("POST", `${BASE}/utxos/scan`, (ctx) => {
    requireBtc(ctx);
    const scheme = track(explorer, ctx);
    const gapLimit = intParam(ctx, "gapLimit", 10_000, 1, 100_000);
    explorer.startScan(scheme, gapLimit);
    sendJson(ctx.res, 200, {});
  });

  router.on("GET", `${BASE}/utxos/scan/status`, (ctx) => {
    requireBtc(ctx);
    const status = explorer.scanStatus(ctx.params.scheme ?? "");
    if (!status) throw new HttpError(404, "scanutxoset-info-not-found", "no scan for this scheme");
    sendJson(ctx.res, 200, status);
  });

  router.on("GET", `${BASE}/scripts/:script`, (ctx) => {
    requireBtc(ctx);
    const scheme = tracked(explorer, ctx);
    const script = (ctx.params.script ?? "").toLowerCase();
    const owner = explorer.registry
      .ownersOf(script)
      .find((o) => o.kind === "scheme" && o.scheme === scheme.scheme);
    if (owner?.kind !== "scheme") throw new HttpError(404, "not-found", "script not part of this scheme");
    sendJson(ctx.res, 200, keyPathInfo(scheme, owner.derived));
  });

  router.on("GET", `${BASE}/addresses/unused`, async (ctx) => {
    requireBtc(ctx);
    const autoTrack = ctx.query.get("autoTrack") === "true";
    const scheme = autoTrack ? track(explorer, ctx) : tracked(explorer, ctx);
    const feature = featureParam(ctx.query.get("feature"));
    const skip = intParam(ctx, "skip", 0, 0, 10_000);
    const reserve = ctx.query.get("reserve") === "true";
    await explorer.sync.refresh();
    sendJson(ctx.res, 200, keyPathInfo(scheme, scheme.unused(feature, skip, reserve, explorer.isUsed)));
  });
}

function track(explorer: Explorer, ctx: RouteContext): TrackedScheme {
  try {
    return explorer.track(ctx.params.scheme ?? "");
  } catch (err) {
    throw new HttpError(400, "invalid-derivation-scheme", err instanceof Error ? err.message : String(err));
  }
}

function tracked(explorer: Explorer, ctx: RouteContext): TrackedScheme {
  const scheme = explorer.registry.getScheme(ctx.params.scheme ?? "");
  if (!scheme) throw new HttpError(404, "derivation-not-tracked", "derivation scheme is not tracked");
  return scheme;
}

function keyPathInfo(scheme: TrackedScheme, d: DerivedScript): KeyPathInformation {
  return {
    trackedSource: scheme.trackedSource,
    feature: d.feature,
    derivationStrategy: scheme.scheme,
    keyPath: d.keyPath,
    index: d.index,
    scriptPubKey: d.scriptPubKey,
    address: d.address,
  };
}

function ownedOf(d: DerivedScript): OwnedScript {
  return {
    scriptPubKey: d.scriptPubKey,
    address: d.address,
    keyPath: d.keyPath,
    keyIndex: d.index,
    feature: d.feature,
  };
}

function featureParam(value: string | null): Feature {
  if (value === null || value === "Deposit") return "Deposit";
  if (value === "Change") return "Change";
  throw new HttpError(400, "invalid-feature", `unsupported feature ${value}`);
}

function intParam(ctx: RouteContext, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  const n = Number.parseInt(raw, 10);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HttpError(400, `invalid-${name}`, `${name} out of range`);
  return n;
}
