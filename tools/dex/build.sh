#!/usr/bin/env bash
# Builds the pinned Dex (see go.mod here) into a cache outside the repository, once per pin:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/homelab-sso/dex-<pseudo-version>-<pins hash>/dex
# A warm cache builds nothing. `build.sh --path` prints where the binary lives (built or not) and
# builds nothing; the Dex test reads the path that way, so the location is decided here only.
set -euo pipefail
cd "$(dirname "$0")"

# The release the argo-cd chart 7.8.0 runs; Dex prints it in `dex version` and its startup log.
DEX_RELEASE="v2.41.1"
dex_module_version="$(awk '$1 == "github.com/dexidp/dex" { print $2; exit }' go.mod)"
if [ -z "$dex_module_version" ]; then
  echo "tools/dex/build.sh: go.mod has no github.com/dexidp/dex requirement" >&2
  exit 1
fi
# cmd/dex needs cgo: its config code names the SQLite storage, which builds only with cgo (as Dex's
# own release build does). ArgoCD's Dex keeps its storage in memory.
BUILD_FLAGS=(-trimpath -ldflags "-s -w -X main.version=${DEX_RELEASE}")
# Any change to the pins (go.mod, go.sum) or to the build flags lands in a new directory.
pins_hash="$( (cat go.mod go.sum; echo "${BUILD_FLAGS[*]}") | sha256sum | cut -c1-12)"
out_dir="${XDG_CACHE_HOME:-$HOME/.cache}/homelab-sso/dex-${dex_module_version}-${pins_hash}"
binary="$out_dir/dex"

if [ "${1:-}" = "--path" ]; then
  echo "$binary"
  exit 0
fi

if [ -x "$binary" ]; then
  echo "dex: cached $binary"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "tools/dex/build.sh: Go is not installed (needed to build Dex ${DEX_RELEASE} for the ArgoCD Dex test); install Go 1.24 or newer (https://go.dev/dl/) with access to the Go module proxy, then run tools/dex/build.sh again" >&2
  exit 1
fi

if ! command -v "${CC:-gcc}" >/dev/null 2>&1; then
  echo "tools/dex/build.sh: no C compiler (${CC:-gcc}) found; Dex's cmd/dex builds only with cgo. Install gcc (e.g. apt-get install gcc) and run tools/dex/build.sh again" >&2
  exit 1
fi

echo "dex: building ${DEX_RELEASE} (github.com/dexidp/dex@${dex_module_version}) into $out_dir"
mkdir -p "$out_dir"
# Built next to its final place, then moved, so an interrupted build never leaves a half-written
# binary that looks warm.
CGO_ENABLED=1 GOFLAGS="-mod=readonly -buildvcs=false" nice -n 19 \
  go build "${BUILD_FLAGS[@]}" -o "$binary.tmp" github.com/dexidp/dex/cmd/dex
mv "$binary.tmp" "$binary"
echo "dex: built $binary"
