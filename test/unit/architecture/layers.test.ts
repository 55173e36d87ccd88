import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkLayers, layerOf, relativeImports } from "./layers.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const planted = fileURLToPath(new URL("../../fixtures/layers/planted/", import.meta.url));

describe("layers of src/ (docs/architecture.md)", () => {
  it("src/ keeps every rule", () => {
    const { violations, files, edges } = checkLayers(repoRoot);
    expect(violations.map((v) => v.message)).toEqual([]);
    // The walk really covered the tree (a checker that reads nothing would pass too).
    expect(files).toBeGreaterThan(200);
    expect(edges).toBeGreaterThan(1000);
  });

  it("finds each planted violation, and only those", () => {
    const { violations } = checkLayers(planted);
    const found = violations.map((v) => `${v.rule} ${v.from} -> ${v.to}`).sort();
    expect(found).toEqual(
      [
        "core-not-through-ports src/ark/wallet/wallet.ts -> src/swaps/engine.ts",
        "index-only src/cli/balance.ts -> src/lightning/lnd/internal.ts",
        "layer-order src/domain/price.ts -> src/swaps/engine.ts",
        "layer-order src/swaps/store.ts -> src/db/repo.ts",
        "outside-src src/api/route.ts -> test/fakes/thing.ts",
        "ports-import-core src/swaps/ports/ark.ts -> src/swaps/engine.ts",
        "unclassified src/newdir/orphan.ts -> src/newdir/orphan.ts",
      ].sort(),
    );
  });

  it("reads static, type-only, re-exported and dynamic imports, not comments or strings", () => {
    const source = [
      'import type { A } from "./a.js";',
      'export * from "../b.js";',
      'export type C = typeof import("./c.js");',
      'const d = await import("./d.js");',
      'import "./e.js";',
      'import { f } from "pino";',
      '// import { g } from "./comment.js";',
      "const h = 'import(\"./string.js\")';",
    ].join("\n");
    expect(relativeImports(source)).toEqual(["./a.js", "../b.js", "./c.js", "./d.js", "./e.js"]);
  });

  it("the longest prefix decides a file's layer", () => {
    expect(layerOf("src/ark/tx/signing.ts")).toBe("ark-core");
    expect(layerOf("src/ark/wallet/ark-wallet.ts")).toBe("adapters");
    expect(layerOf("src/chain/port.ts")).toBe("domain");
    expect(layerOf("src/chain/watcher.ts")).toBe("adapters");
    expect(layerOf("src/swaps/ports/lightning.ts")).toBe("swaps-core");
    expect(layerOf("bench/ark.bench.ts")).toBeUndefined();
  });
});
