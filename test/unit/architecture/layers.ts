/**
 * The layer rules of src/ (docs/architecture.md), as data, and a checker over a source tree.
 *
 *   domain ← ark-core ← swaps-core (and its ports) ← adapters ← api ← gateway ← cli
 *
 * A module may import its own layer or a lower one. Four more rules:
 * - the swap core's ports (src/swaps/ports/) import only domain, ark-core and other ports;
 * - adapters and the API see the swap core only through its ports;
 * - crossing into another layer, a folder with an index.ts is imported through that index only;
 * - nothing in src/ imports test/, bench/ or anything else outside src/ (migrations/ excepted,
 *   which belongs to the database adapter).
 * Every file must fall in a layer: a new top-level folder needs a line in LAYERS.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import ts from "typescript";

export const LAYER_ORDER = ["domain", "ark-core", "swaps-core", "adapters", "api", "gateway", "cli"] as const;
export type Layer = (typeof LAYER_ORDER)[number];

/** Path prefixes (from the repository root, "/" separated) → layer; the longest prefix wins. */
export const LAYERS: ReadonlyArray<readonly [string, Layer]> = [
  ["src/domain/", "domain"],
  ["src/lib/", "domain"],
  // The chain vocabulary every layer may name: the block-reading port and the block codec.
  ["src/chain/port.ts", "domain"],
  ["src/chain/raw-block.ts", "domain"],
  ["src/chain/errors.ts", "domain"],
  // The Ark protocol: scripts, transactions, batches, expiry, the arkd client behind its port.
  ["src/ark/", "ark-core"],
  ["src/swaps/", "swaps-core"],
  // Moving the gateway's own liquidity (boarding, offboarding, status): a core beside the swaps'.
  ["src/liquidity/", "swaps-core"],
  // Adapters: implementations of the ports, persistence, configuration loading.
  ["src/ark/wallet/", "adapters"],
  ["src/lightning/", "adapters"],
  ["src/chain/", "adapters"],
  ["src/db/", "adapters"],
  ["migrations/", "adapters"],
  ["src/config/", "adapters"],
  ["src/api/", "api"],
  ["src/gateway/", "gateway"],
  ["src/index.ts", "gateway"],
  ["src/cli/", "cli"],
  // Development tooling (the regtest network), used by the CLI's sandbox only.
  ["src/regtest/", "cli"],
];

export const PORTS_PREFIX = "src/swaps/ports/";
const SWAPS_PREFIX = "src/swaps/";

export interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule:
    | "layer-order"
    | "ports-import-core"
    | "core-not-through-ports"
    | "index-only"
    | "outside-src"
    | "unclassified";
  readonly message: string;
}

const rank = (l: Layer): number => LAYER_ORDER.indexOf(l);

/** The layer of a repository-relative path, or undefined when no prefix matches. */
export function layerOf(path: string): Layer | undefined {
  let best: readonly [string, Layer] | undefined;
  for (const entry of LAYERS) {
    if (path.startsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/** Relative import specifiers of one module (static, dynamic, type-only, re-exports). */
export function relativeImports(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** The repository-relative .ts path an import specifier names, from the importing file. */
function resolve(from: string, spec: string): string {
  return normalize(join(dirname(from), spec))
    .split(sep)
    .join("/")
    .replace(/\.js$/, ".ts");
}

/** The nearest folder above `target` with an index.ts that does not also contain `from`. */
function packageIndex(root: string, from: string, target: string): string | undefined {
  let dir = dirname(target);
  while (dir.startsWith("src/") && !(from + "/").startsWith(dir + "/")) {
    if (existsSync(join(root, dir, "index.ts"))) return `${dir}/index.ts`;
    dir = dirname(dir);
  }
  return undefined;
}

/** Checks one import edge (both paths repository-relative). */
export function checkEdge(root: string, from: string, target: string): Violation | undefined {
  const edge = { from, to: target };
  if (!target.startsWith("src/") && !target.startsWith("migrations/")) {
    return { ...edge, rule: "outside-src", message: `${from} imports ${target}, outside src/` };
  }
  const a = layerOf(from);
  const b = layerOf(target);
  if (a === undefined) return undefined; // reported once for the file itself
  if (b === undefined) {
    return { ...edge, rule: "unclassified", message: `${target} is in no layer (add it to LAYERS)` };
  }
  if (rank(b) > rank(a)) {
    return {
      ...edge,
      rule: "layer-order",
      message: `${from} (${a}) imports ${target} (${b}), a higher layer`,
    };
  }
  if (from.startsWith(PORTS_PREFIX) && b === "swaps-core" && !target.startsWith(PORTS_PREFIX)) {
    return { ...edge, rule: "ports-import-core", message: `port ${from} imports the core's ${target}` };
  }
  if (
    (a === "adapters" || a === "api") &&
    target.startsWith(SWAPS_PREFIX) &&
    !target.startsWith(PORTS_PREFIX)
  ) {
    return {
      ...edge,
      rule: "core-not-through-ports",
      message: `${from} (${a}) imports ${target}: the swap core is seen through src/swaps/ports/ only`,
    };
  }
  if (a !== b) {
    const index = packageIndex(root, from, target);
    if (index !== undefined && index !== target) {
      return {
        ...edge,
        rule: "index-only",
        message: `${from} reaches into ${target}; import ${index} instead`,
      };
    }
  }
  return undefined;
}

function tsFiles(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(root, rel);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [rel] : [];
  });
}

/** Every violation in `root`'s src/ tree, and how many import edges were checked. */
export function checkLayers(root: string): { violations: Violation[]; files: number; edges: number } {
  const files = tsFiles(root, "src");
  const violations: Violation[] = [];
  let edges = 0;
  for (const from of files) {
    if (layerOf(from) === undefined) {
      violations.push({
        from,
        to: from,
        rule: "unclassified",
        message: `${from} is in no layer (add it to LAYERS)`,
      });
    }
    for (const spec of relativeImports(readFileSync(join(root, from), "utf8"))) {
      edges++;
      const v = checkEdge(root, from, resolve(from, spec));
      if (v !== undefined) violations.push(v);
    }
  }
  return { violations, files: files.length, edges };
}
