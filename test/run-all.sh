#!/usr/bin/env bash
# The README's test command (`npm test`) runs this: install what is missing, lint and type-check,
# then unit, integration (real Postgres) and end-to-end (real regtest network) tests, and print
# one closing line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export FORCE_COLOR=0

step() { printf '\n=== %s ===\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund || exit 1
fi

mkdir -p .test-results
rm -f .test-results/*.json
status=0

step "typecheck"
npx tsc -p tsconfig.json --noEmit || status=1
step "lint"
npm run --silent lint || status=1

# Go may be installed but not on PATH (CI images): the regtest build needs it.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi

for project in unit integration e2e; do
  if [ "$project" = e2e ]; then
    # Builds btcd, LND and arkd into the cache if missing (minutes on first use, then instant);
    # the e2e global setup then starts or reuses the regtest network. A failed component fails
    # the run, but the e2e project still runs with what was built (LN tests need btcd + LND;
    # without arkd the network comes up without Ark and the Ark tests fail with the reason).
    step "regtest binaries (test/regtest/build.sh)"
    if ! bash test/regtest/build.sh; then
      status=1
      echo "regtest build failed for some component (see above); running e2e with what was built" >&2
    fi
  fi
  step "vitest: $project"
  npx vitest run --project "$project" --passWithNoTests \
    --reporter=default --reporter=json --outputFile.json=".test-results/$project.json" || status=1
done

node test/summarize.mjs .test-results || status=1
exit $status
