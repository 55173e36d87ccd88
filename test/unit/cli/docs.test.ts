import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_DOC_PATH, configKeys, withConfigTable } from "../../../src/cli/docs/config-table.js";
import { LIFECYCLE_DOC_PATH, lifecycleMarkdown } from "../../../src/cli/docs/lifecycle-doc.js";
import { REPO_ROOT } from "../../../src/cli/docs/repo-root.js";
import { writeIfChanged } from "../../../src/cli/docs/write-if-changed.js";

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const configDoc = readFileSync(join(REPO_ROOT, CONFIG_DOC_PATH), "utf8");

describe("generated documentation is current", () => {
  it("docs/lifecycle.md matches the transition tables (npm run docs:lifecycle)", () => {
    expect(readFileSync(join(REPO_ROOT, LIFECYCLE_DOC_PATH), "utf8")).toBe(lifecycleMarkdown());
  });

  it("docs/configuration.md's table matches the loader (npm run docs:config)", () => {
    expect(configDoc).toBe(withConfigTable(configDoc));
  });

  it("every config key and variable the loader reads appears in docs/configuration.md", () => {
    const keys = configKeys();
    expect(keys.length).toBeGreaterThan(30);
    for (const k of keys) {
      if (k.env !== undefined) expect(configDoc).toContain(`\`${k.env}\``);
      if (k.path !== undefined) expect(configDoc).toContain(`\`${k.path}\``);
    }
  });

  it("the README says where the arkd binaries go and states both commands", () => {
    expect(readme).toContain("~/.cache/ark-ln-gateway/bin/arkd-v0.9.15/");
    expect(readme).not.toContain("arkd cannot be built");
    expect(readme).not.toContain("ARKD_SRC_DIR");
    expect(readme).toContain("npx ark-ln-gateway sandbox");
    expect(readme).toContain("`npm test`");
  });
});

describe("writeIfChanged (npm run docs:config / docs:lifecycle)", () => {
  it("leaves a current file untouched and rewrites a stale or missing one", () => {
    const dir = mkdtempSync(join(tmpdir(), "docs-write-"));
    const path = join(dir, "doc.md");
    expect(writeIfChanged(path, "a\n")).toBe(true);
    const old = new Date("2020-01-01T00:00:00Z");
    utimesSync(path, old, old);
    expect(writeIfChanged(path, "a\n")).toBe(false);
    expect(statSync(path).mtime).toEqual(old);
    writeFileSync(path, "stale\n");
    expect(writeIfChanged(path, "a\n")).toBe(true);
    expect(readFileSync(path, "utf8")).toBe("a\n");
    rmSync(dir, { recursive: true, force: true });
  });
});
