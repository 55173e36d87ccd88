/** The package version, read from the package.json above this file (works from src and dist). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** @returns the `version` of the ark-ln-gateway package.json, or "0.0.0-unknown" */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "ark-ln-gateway" && typeof pkg.version === "string") return (cached = pkg.version);
    }
    dir = dirname(dir);
  }
  return (cached = "0.0.0-unknown");
}
