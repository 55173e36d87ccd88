/** `npm run docs:lifecycle`: writes docs/lifecycle.md from the transition tables. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./repo-root.js";
import { LIFECYCLE_DOC_PATH, lifecycleMarkdown } from "./lifecycle-doc.js";

const path = join(REPO_ROOT, LIFECYCLE_DOC_PATH);
writeFileSync(path, lifecycleMarkdown());
process.stdout.write(`wrote ${path}\n`);
