/** `npm run docs:config`: regenerates the configuration table in docs/configuration.md. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_DOC_PATH, withConfigTable } from "./config-table.js";
import { REPO_ROOT } from "./repo-root.js";
import { writeIfChanged } from "./write-if-changed.js";

const path = join(REPO_ROOT, CONFIG_DOC_PATH);
const written = writeIfChanged(path, withConfigTable(readFileSync(path, "utf8")));
process.stdout.write(
  written
    ? `updated the configuration table in ${path}\n`
    : `the configuration table in ${path} is up to date\n`,
);
