/**
 * The gateway process does not load ln-service: its LND adapter speaks LND's protos through our
 * own gRPC client (src/lightning/lnd/rpc/). ln-service stays for the regtest tools, the sandbox
 * and the tests; loading it in the gateway costs ~40 MB of RSS (docs/benchmarks.md). A child
 * process imports what `ark-ln-gateway start` imports and lists the CommonJS modules it loaded.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

function loadedPackages(modules: readonly string[]): string[] {
  const script = `
    const { createRequire } = await import("node:module");
    for (const m of ${JSON.stringify(modules)}) await import(m);
    const cache = createRequire(import.meta.url).cache;
    const names = new Set();
    for (const file of Object.keys(cache)) {
      const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file.slice(file.lastIndexOf("node_modules/")));
      if (m) names.add(m[1]);
    }
    console.log(JSON.stringify([...names].sort()));
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "[]") as string[];
}

describe("the gateway's runtime dependencies", () => {
  it("`start` and the gateway it creates load neither ln-service nor its `lightning` package", () => {
    const loaded = loadedPackages([
      join(root, "src/cli/main.ts"),
      join(root, "src/cli/commands/start.ts"),
      join(root, "src/gateway/create-gateway.ts"),
    ]);
    // the check sees CommonJS packages at all (grpc-js is one the gateway does load)
    expect(loaded).toContain("@grpc/grpc-js");
    expect(loaded).not.toContain("ln-service");
    expect(loaded).not.toContain("lightning");
  });
});
