/**
 * The npm bin's launcher (src/cli/bin.mjs), copied into throwaway package roots: it runs dist/
 * when built and current, else the sources through tsx, else says what to run.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../src/cli/docs/repo-root.js";

const entry = (name: string) =>
  `export function runAsProgram(argv) { console.log("${name} " + argv.join(" ")); process.exitCode = 3; }\n`;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A package root holding the launcher and, as asked, a built entry, a source entry, node_modules. */
function packageRoot(opts: { built?: boolean; source?: boolean; tsx?: boolean; engines?: string }): string {
  const root = mkdtempSync(join(tmpdir(), "bin-launcher-"));
  roots.push(root);
  const engines = opts.engines === undefined ? {} : { engines: { node: opts.engines } };
  writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module", ...engines }));
  mkdirSync(join(root, "src", "cli"), { recursive: true });
  copyFileSync(join(REPO_ROOT, "src", "cli", "bin.mjs"), join(root, "src", "cli", "bin.mjs"));
  const old = new Date("2020-01-01T00:00:00Z");
  utimesSync(join(root, "src", "cli", "bin.mjs"), old, old);
  if (opts.source === true) {
    writeFileSync(join(root, "src", "cli", "main.ts"), entry("source"));
    utimesSync(join(root, "src", "cli", "main.ts"), old, old);
  }
  if (opts.built === true) {
    mkdirSync(join(root, "dist", "src", "cli"), { recursive: true });
    writeFileSync(join(root, "dist", "src", "cli", "main.js"), entry("dist"));
  }
  if (opts.tsx === true) symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

function run(root: string, ...argv: string[]) {
  const r = spawnSync(process.execPath, [join(root, "src", "cli", "bin.mjs"), ...argv], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

describe("src/cli/bin.mjs (the ark-ln-gateway bin)", () => {
  it("runs the built entry when it is newer than every source", () => {
    const r = run(packageRoot({ built: true, source: true, tsx: true }), "swaps", "list");
    expect(r).toEqual({ code: 3, stdout: "dist swaps list", stderr: "" });
  });

  it("runs the sources through tsx when dist/ is missing or older than a source", () => {
    expect(run(packageRoot({ source: true, tsx: true }), "--help").stdout).toBe("source --help");
    const stale = packageRoot({ built: true, source: true, tsx: true });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(stale, "src", "cli", "main.ts"), later, later);
    expect(run(stale, "--help").stdout).toBe("source --help");
  });

  it("without tsx, runs a stale dist/ rather than nothing", () => {
    const root = packageRoot({ built: true, source: true });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, "src", "cli", "main.ts"), later, later);
    expect(run(root, "--version").stdout).toBe("dist --version");
  });

  it("on a Node older than engines.node: one line of notice on stderr, then runs all the same", () => {
    const r = run(packageRoot({ built: true, source: true, tsx: true, engines: ">=999.0" }), "swaps", "list");
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("dist swaps list");
    const eol = Number(process.versions.node.split(".")[0]) < 22 ? " (past end of life)" : "";
    expect(r.stderr.split("\n")).toEqual([
      `note: ark-ln-gateway supports Node >=999.0 (tested on Node 22); this is Node ${process.version}${eol}: it runs, but use Node 22 or 24`,
    ]);
  });

  it("on a Node that satisfies engines.node: no notice", () => {
    const r = run(packageRoot({ built: true, source: true, tsx: true, engines: ">=20.0" }), "--version");
    expect(r).toEqual({ code: 3, stdout: "dist --version", stderr: "" });
  });

  it("with neither, says in one line what to run and exits 1", () => {
    const r = run(packageRoot({ source: true }), "sandbox");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: ark-ln-gateway is not built .*run `npm install && npm run build`/);
  });
});
