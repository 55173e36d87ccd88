/** `npm run docs:config`: regenerates the configuration table in README.md. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withConfigTable } from "./config-table.js";
import { REPO_ROOT } from "./repo-root.js";

const path = join(REPO_ROOT, "README.md");
writeFileSync(path, withConfigTable(readFileSync(path, "utf8")));
process.stdout.write(`updated the configuration table in ${path}\n`);
