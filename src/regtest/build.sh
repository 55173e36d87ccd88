#!/usr/bin/env bash
# Builds the regtest network's binaries from the Go module proxy into a cache outside the repo,
# keyed by version:  ${ARK_LN_GATEWAY_CACHE:-$HOME/.cache/ark-ln-gateway}/bin/<component>-<version>/
#
#   btcd-<v>/{btcd,btcctl}   lnd-<v>/{lnd,lncli}   arkd-<v>/{arkd,arkd-wallet}
#
# Usage: src/regtest/build.sh [btcd] [lnd] [arkd]      (no argument = all three)
#        src/regtest/build.sh --print-dir <component>  (prints the cache dir, builds nothing)
# A component is rebuilt only when its stamp file (version; LND: build tags) is missing or
# differs; binaries placed in a component's folder by hand (no stamp) are used as they are: that
# is how arkd gets here where the Go module proxy does not serve its nested modules (build arkd
# from its own repository as its README says and copy `arkd` + `arkd-wallet` into arkd-<v>/).
# Versions come from src/regtest/settings.ts, the single source of truth. Exit status 1
# if any requested component failed (the others are still built).
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
SETTINGS="$REPO_DIR/src/regtest/settings.ts"
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

# The stamp names what a build depends on: the component's version and (LND) its build tags.
# The Go version is recorded next to it (.go-version) but does not trigger a rebuild.
stamp_text() { printf 'component=%s\nversion=%s\ntags=%s\n' "$1" "$(component_version "$1")" "${2:-}"; }

# Prints the JSON field $2 of `go mod download -json $1`; on failure prints go's error to stderr
# and returns 1.
mod_download() {
  local json
  if ! json="$(cd "$CACHE_DIR/build" && go mod download -json "$1")"; then
    printf '[regtest:build] go mod download %s: %s\n' "$1" \
      "$(printf '%s' "$json" | jq -r '.Error // empty' 2>/dev/null || printf '%s' "$json")" >&2
    return 1
  fi
  printf '%s' "$json" | jq -er "$2"
}

# Copies a module's read-only cache dir into a writable build dir.
copy_module() {
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  cp -R "$1" "$2"
  chmod -R u+w "$2"
}

# Each build_* function returns non-zero on the first failing step (set -e does not apply
# inside a function called from a `||` list, so every step is checked explicitly).
build_btcd() {
  local out="$1"
  log "btcd $BTCD_VERSION: go install github.com/btcsuite/btcd@$BTCD_VERSION (+ btcctl)"
  (cd "$CACHE_DIR/build" && GOBIN="$out" CGO_ENABLED=0 go install -trimpath \
    "github.com/btcsuite/btcd@$BTCD_VERSION" "github.com/btcsuite/btcd/cmd/btcctl@$BTCD_VERSION") || return 1
}

build_lnd() {
  local out="$1" src dir hash pkg=github.com/lightningnetwork/lnd
  log "lnd $LND_VERSION: downloading $pkg@$LND_VERSION"
  src="$(mod_download "$pkg@$LND_VERSION" .Dir)" || return 1
  hash="$(mod_download "$pkg@$LND_VERSION" '.Origin.Hash // ""')" || return 1
  dir="$CACHE_DIR/build/lnd-$LND_VERSION"
  copy_module "$src" "$dir" || return 1
  log "lnd $LND_VERSION: go build -tags \"$LND_TAGS\" ./cmd/lnd ./cmd/lncli (several minutes)"
  local ldflags="-s -w -X $pkg/build.Commit=$LND_VERSION -X $pkg/build.CommitHash=$hash"
  ldflags+=" -X $pkg/build.GoVersion=go$GO_VERSION -X '$pkg/build.RawTags=${LND_TAGS// /,}'"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -tags "$LND_TAGS" -ldflags "$ldflags" \
    -o "$out/" ./cmd/lnd ./cmd/lncli) || return 1
  rm -rf "$dir"
}

# arkd's go.mod replaces its nested modules with ./paths, which a module download leaves out:
# fetch each nested module at the same commit and put it where the replace points. The proxy
# serves a nested module at a commit as a pseudo-version; if it refuses (some mirrors serve only
# tagged versions), retry straight from the VCS (GOPROXY=direct).
build_arkd() {
  local out="$1" dir pkg=github.com/arkade-os/arkd
  dir="$CACHE_DIR/build/arkd-$ARKD_VERSION"
  arkd_source_from_proxy "$pkg" "$dir" || return 1
  log "arkd $ARKD_VERSION: go build ./cmd/arkd ./cmd/arkd-wallet (several minutes)"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X 'main.Version=$ARKD_VERSION'" \
    -o "$out/" ./cmd/arkd ./cmd/arkd-wallet) || return 1
  rm -rf "$dir"
}

arkd_source_from_proxy() {
  local pkg="$1" dir="$2" src hash nested path nsrc replaces
  log "arkd $ARKD_VERSION: downloading $pkg@$ARKD_VERSION"
  src="$(mod_download "$pkg@$ARKD_VERSION" .Dir)" || return 1
  hash="$(mod_download "$pkg@$ARKD_VERSION" .Origin.Hash)" || return 1
  copy_module "$src" "$dir" || return 1
  replaces="$(cd "$dir" && go mod edit -json | jq -r --arg p "$pkg/" \
    '.Replace[]? | select(.Old.Path | startswith($p)) | select(.New.Path | startswith("./")) | "\(.Old.Path) \(.New.Path)"')" ||
    return 1
  while read -r nested path; do
    [ -n "$nested" ] || continue
    log "arkd $ARKD_VERSION: nested module $nested@${hash:0:12} -> $path"
    if ! nsrc="$(mod_download "$nested@$hash" .Dir)"; then
      log "arkd $ARKD_VERSION: the proxy refused $nested@${hash:0:12}; trying GOPROXY=direct"
      if ! nsrc="$(GOPROXY=direct mod_download "$nested@$hash" .Dir)"; then
        cat >&2 <<EOF_MSG
[regtest:build] ERROR: cannot get arkd's nested module $nested at commit $hash
  (arkd $ARKD_VERSION's go.mod replaces it with $path, which a module download leaves out).
  Neither the Go module proxy (GOPROXY=$(go env GOPROXY)) nor the VCS (GOPROXY=direct) served it.
  Fix: build arkd $ARKD_VERSION from its own repository as its README says, and copy the two
  binaries arkd and arkd-wallet into $(component_dir arkd)/ (used as they are, no stamp needed).
EOF_MSG
        return 1
      fi
    fi
    copy_module "$nsrc" "$dir/$path" || return 1
  done <<<"$replaces"
}

expected_files() {
  case "$1" in
    btcd) echo "btcd btcctl" ;;
    lnd) echo "lnd lncli" ;;
    arkd) echo "arkd arkd-wallet" ;;
  esac
}

all_present() {
  local f
  for f in $(expected_files "$1"); do [ -x "$2/$f" ] || return 1; done
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
  if [ ! -f "$stamp" ] && all_present "$name" "$out"; then
    # Binaries put there by hand (e.g. a prebuilt arkd): use them, never delete them.
    log "$name $(component_version "$name"): using the binaries placed in $out (no build stamp)"
    return 0
  fi
  start=$(date +%s)
  rm -rf "$out"
  mkdir -p "$out"
  if ! "build_$name" "$out"; then
    rm -rf "$out"
    log "$name $(component_version "$name"): FAILED after $(($(date +%s) - start))s (see the messages above)"
    return 1
  fi
  for f in $(expected_files "$name"); do
    if [ ! -x "$out/$f" ]; then
      log "$name: $out/$f is missing after the build"
      return 1
    fi
  done
  stamp_text "$name" "$tags" >"$stamp"
  echo "go$GO_VERSION" >"$out/.go-version"
  log "$name $(component_version "$name"): built in $(($(date +%s) - start))s -> $out"
}

components=("$@")
[ ${#components[@]} -eq 0 ] && components=(btcd lnd arkd)
log "Go $GO_VERSION, cache $BIN_ROOT"
failed=()
for c in "${components[@]}"; do
  component_version "$c" >/dev/null
  build_component "$c" || failed+=("$c")
done
if [ ${#failed[@]} -gt 0 ]; then
  log "FAILED: ${failed[*]} (built or cached: the rest)"
  exit 1
fi
log "done"
