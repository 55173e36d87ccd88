#!/usr/bin/env bash
# Builds the regtest network's binaries from the Go module proxy into a cache outside the repo,
# keyed by version:  ${ARK_LN_GATEWAY_CACHE:-$HOME/.cache/ark-ln-gateway}/bin/<component>-<version>/
#
#   btcd-<v>/{btcd,btcctl}   lnd-<v>/{lnd,lncli}   arkd-<v>/{arkd,arkd-wallet}
#
# Usage: test/regtest/build.sh [btcd] [lnd] [arkd]      (no argument = all three)
#        test/regtest/build.sh --print-dir <component>  (prints the cache dir, builds nothing)
# A component is rebuilt only when its stamp file (version, tags, Go version) is missing or
# differs. Versions come from test/regtest/settings.ts, the single source of truth.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE_DIR="${ARK_LN_GATEWAY_CACHE:-$HOME/.cache/ark-ln-gateway}"
BIN_ROOT="$CACHE_DIR/bin"
MIN_GO="1.26.5"
T0=$(date +%s)

log() { printf '[regtest:build +%ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
die() {
  printf '[regtest:build] ERROR: %s\n' "$*" >&2
  exit 1
}

# --- versions (from settings.ts, parsed without running node so this works before npm ci) ----
SETTINGS="$REPO_DIR/test/regtest/settings.ts"
setting() { sed -n "s/^ *$1: \"\([^\"]*\)\".*/\1/p" "$SETTINGS" | head -n1; }
BTCD_VERSION="$(setting btcd)"
LND_VERSION="$(setting lnd)"
ARKD_VERSION="$(setting arkd)"
LND_TAGS="$(sed -n '/LND_BUILD_TAGS = \[/,/\]/p' "$SETTINGS" | grep -o '"[a-z]*"' | tr -d '"' | xargs)"
[ -n "$BTCD_VERSION" ] && [ -n "$LND_VERSION" ] && [ -n "$ARKD_VERSION" ] && [ -n "$LND_TAGS" ] ||
  die "could not read versions from $SETTINGS"

component_version() {
  case "$1" in
    btcd) echo "$BTCD_VERSION" ;;
    lnd) echo "$LND_VERSION" ;;
    arkd) echo "$ARKD_VERSION" ;;
    *) die "unknown component '$1' (expected btcd, lnd or arkd)" ;;
  esac
}
component_dir() { echo "$BIN_ROOT/$1-$(component_version "$1")"; }

if [ "${1:-}" = "--print-dir" ]; then
  component_dir "${2:?component}"
  exit 0
fi

# --- Go toolchain check ---------------------------------------------------------------------
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
command -v go >/dev/null 2>&1 ||
  die "Go is not installed (need Go >= $MIN_GO to build btcd, LND and arkd). Install it from https://go.dev/dl/ and put it on PATH."
GO_VERSION="$(go env GOVERSION | sed 's/^go//')"
if [ "$(printf '%s\n%s\n' "$MIN_GO" "$GO_VERSION" | sort -V | head -n1)" != "$MIN_GO" ]; then
  die "Go $GO_VERSION is too old: arkd $ARKD_VERSION needs Go >= $MIN_GO (found $(command -v go)). Install a newer Go from https://go.dev/dl/."
fi
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
export GOTOOLCHAIN=local

mkdir -p "$BIN_ROOT" "$CACHE_DIR/build"
# One build at a time per cache, even across processes (the e2e setup and a developer).
exec 9>"$CACHE_DIR/build.lock"
if ! flock -n 9; then
  log "another build holds $CACHE_DIR/build.lock; waiting"
  flock 9
fi

stamp_text() { printf 'component=%s\nversion=%s\ngo=%s\ntags=%s\n' "$1" "$(component_version "$1")" "$GO_VERSION" "${2:-}"; }

# Prints the JSON field $2 of `go mod download -json $1`.
mod_download() {
  local json
  json="$(cd "$CACHE_DIR/build" && go mod download -json "$1")" || die "go mod download $1 failed"
  printf '%s' "$json" | jq -er "$2" || die "go mod download $1: no $2 in $json"
}

# Copies a module's read-only cache dir into a writable build dir.
copy_module() {
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  cp -R "$1" "$2"
  chmod -R u+w "$2"
}

build_btcd() {
  local out="$1"
  log "btcd $BTCD_VERSION: go install github.com/btcsuite/btcd@$BTCD_VERSION (+ btcctl)"
  (cd "$CACHE_DIR/build" && GOBIN="$out" CGO_ENABLED=0 go install -trimpath \
    "github.com/btcsuite/btcd@$BTCD_VERSION" "github.com/btcsuite/btcd/cmd/btcctl@$BTCD_VERSION")
}

build_lnd() {
  local out="$1" src dir hash pkg=github.com/lightningnetwork/lnd
  log "lnd $LND_VERSION: downloading $pkg@$LND_VERSION"
  src="$(mod_download "$pkg@$LND_VERSION" .Dir)"
  hash="$(mod_download "$pkg@$LND_VERSION" '.Origin.Hash // ""')"
  dir="$CACHE_DIR/build/lnd-$LND_VERSION"
  copy_module "$src" "$dir"
  log "lnd $LND_VERSION: go build -tags \"$LND_TAGS\" ./cmd/lnd ./cmd/lncli (several minutes)"
  local ldflags="-s -w -X $pkg/build.Commit=$LND_VERSION -X $pkg/build.CommitHash=$hash"
  ldflags+=" -X $pkg/build.GoVersion=go$GO_VERSION -X '$pkg/build.RawTags=${LND_TAGS// /,}'"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -tags "$LND_TAGS" -ldflags "$ldflags" \
    -o "$out/" ./cmd/lnd ./cmd/lncli)
  rm -rf "$dir"
}

# arkd's go.mod replaces its nested modules with ./paths, which a module download leaves out:
# fetch each nested module at the same commit and put it where the replace points.
build_arkd() {
  local out="$1" src dir hash pkg=github.com/arkade-os/arkd nested path nsrc
  log "arkd $ARKD_VERSION: downloading $pkg@$ARKD_VERSION"
  src="$(mod_download "$pkg@$ARKD_VERSION" .Dir)"
  hash="$(mod_download "$pkg@$ARKD_VERSION" .Origin.Hash)"
  dir="$CACHE_DIR/build/arkd-$ARKD_VERSION"
  copy_module "$src" "$dir"
  while read -r nested path; do
    log "arkd $ARKD_VERSION: nested module $nested@${hash:0:12} -> $path"
    nsrc="$(mod_download "$nested@$hash" .Dir)"
    copy_module "$nsrc" "$dir/$path"
  done < <(cd "$dir" && go mod edit -json | jq -r --arg p "$pkg/" \
    '.Replace[]? | select(.Old.Path | startswith($p)) | select(.New.Path | startswith("./")) | "\(.Old.Path) \(.New.Path)"')
  log "arkd $ARKD_VERSION: go build ./cmd/arkd ./cmd/arkd-wallet (several minutes)"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X 'main.Version=$ARKD_VERSION'" \
    -o "$out/" ./cmd/arkd ./cmd/arkd-wallet)
  rm -rf "$dir"
}

expected_files() {
  case "$1" in
    btcd) echo "btcd btcctl" ;;
    lnd) echo "lnd lncli" ;;
    arkd) echo "arkd arkd-wallet" ;;
  esac
}

build_component() {
  local name="$1" out stamp tags="" start f
  out="$(component_dir "$name")"
  stamp="$out/.stamp"
  [ "$name" = lnd ] && tags="$LND_TAGS"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(stamp_text "$name" "$tags")" ]; then
    log "$name $(component_version "$name"): cached in $out"
    return 0
  fi
  start=$(date +%s)
  rm -rf "$out"
  mkdir -p "$out"
  "build_$name" "$out" || die "building $name $(component_version "$name") failed (see the output above)"
  for f in $(expected_files "$name"); do
    [ -x "$out/$f" ] || die "building $name: $out/$f is missing after the build"
  done
  stamp_text "$name" "$tags" >"$stamp"
  log "$name $(component_version "$name"): built in $(($(date +%s) - start))s -> $out"
}

components=("$@")
[ ${#components[@]} -eq 0 ] && components=(btcd lnd arkd)
log "Go $GO_VERSION, cache $BIN_ROOT"
for c in "${components[@]}"; do
  component_version "$c" >/dev/null
  build_component "$c"
done
log "done"
