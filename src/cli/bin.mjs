#!/usr/bin/env node
/**
 * The `ark-ln-gateway` npm bin. Plain JavaScript, so that it exists before any build: in a
 * checkout `npm install` builds nothing (.npmrc sets ignore-scripts), and a bin pointing at a
 * missing dist/ file would make `npx ark-ln-gateway` fail, and keep failing after a build
 * (npx caches the missing link). It runs:
 *   - dist/src/cli/main.js when it is built and no source is newer (`npm run build`);
 *   - otherwise the TypeScript sources through tsx (a dev dependency of a checkout);
 *   - otherwise it says what to run.
 * It never refuses a Node older than package.json's engines (the sandbox runs on a machine's
 * Node 20): it says so in one line on stderr and goes on.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const built = join(root, "dist", "src", "cli", "main.js");
const source = join(root, "src", "cli", "main.ts");

/** The newest modification time of the .ts files under `dir` (0 when there are none). */
function newestTs(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtIsCurrent() {
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return newestTs(join(root, "src")) <= builtAt && newestTs(join(root, "migrations")) <= builtAt;
}

async function loadTsx() {
  if (!existsSync(source)) return undefined;
  try {
    return await import("tsx/esm/api");
  } catch {
    return undefined;
  }
}

/** One line when this Node is older than engines.node (">=MAJOR.MINOR"), else undefined. */
function oldNodeNotice() {
  let range;
  try {
    range = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).engines?.node;
  } catch {
    return undefined;
  }
  const want = /^>=\s*(\d+)\.(\d+)/.exec(typeof range === "string" ? range : "");
  if (want === null) return undefined;
  const [major, minor] = process.versions.node.split(".").map(Number);
  const [wantMajor, wantMinor] = [Number(want[1]), Number(want[2])];
  if (major > wantMajor || (major === wantMajor && minor >= wantMinor)) return undefined;
  const eol = major < 22 ? " (past end of life)" : "";
  return `note: ark-ln-gateway supports Node ${range} (tested on Node 22); this is Node ${process.version}${eol}: it runs, but use Node 22 or 24`;
}

const notice = oldNodeNotice();
if (notice !== undefined) process.stderr.write(`${notice}\n`);

let entry;
if (builtIsCurrent()) {
  entry = pathToFileURL(built).href;
} else {
  const tsx = await loadTsx();
  if (tsx !== undefined) {
    tsx.register();
    entry = pathToFileURL(source).href;
  } else if (existsSync(built)) {
    entry = pathToFileURL(built).href;
  } else {
    process.stderr.write(
      `error: ark-ln-gateway is not built (no ${built}) and tsx is not installed to run the sources: run \`npm install && npm run build\` in ${root}\n`,
    );
    process.exit(1);
  }
}
const { runAsProgram } = await import(entry);
runAsProgram(process.argv.slice(2));
