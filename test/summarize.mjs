// Sums vitest JSON reports into the one closing line CI reads: "N passed, N failed[, N skipped]".
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? ".test-results";
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (!report.success && (report.numFailedTests ?? 0) === 0) failed += 1; // a suite that failed to load
  console.log(`${file.replace(/\.json$/, "")}: ${report.numPassedTests ?? 0} passed, ${report.numFailedTests ?? 0} failed`);
}
// Tests that test/run-all.sh could not run (the Ark e2e project without an arkd build) are
// counted as skipped, never as passed.
const notRun = Number.parseInt(process.env.NOT_RUN_TESTS ?? "0", 10) || 0;
if (notRun > 0)
  console.log(`e2e-ark: not run (${notRun} test declarations): the arkd binaries are not on this machine`);
skipped += notRun;
console.log(skipped > 0 ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
