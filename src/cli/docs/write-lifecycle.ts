/** `npm run docs:lifecycle`: writes docs/lifecycle.md from the transition tables. */
import { join } from "node:path";
import { REPO_ROOT } from "./repo-root.js";
import { LIFECYCLE_DOC_PATH, lifecycleMarkdown } from "./lifecycle-doc.js";
import { writeIfChanged } from "./write-if-changed.js";

const path = join(REPO_ROOT, LIFECYCLE_DOC_PATH);
process.stdout.write(
  writeIfChanged(path, lifecycleMarkdown()) ? `wrote ${path}\n` : `${path} is up to date\n`,
);
