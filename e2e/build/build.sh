#!/usr/bin/env bash
# Builds the e2e's real components from Go modules (the Go module proxy only)
# into a cache outside the repository, pinned by version, and installs the
# resource plugins where the Pulumi engine looks for them.
#
#   bash e2e/build/build.sh          # build what is missing or stale
#   bash e2e/build/build.sh --print  # print the cache paths only
#   bash e2e/build/build.sh pulumi kubernetes-provider kubernetes  # only these (default: all)
#
# A component is rebuilt only when its binary is missing or the stamp beside
# it (sha256 of its wrapper module's go.mod, go.sum and own sources) differs.
# All builds share Go's default build cache (GOCACHE) and run under nice 19.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/homelab-sso/e2e"

# Versions: the CLI and language host are the installed @pulumi/pulumi's
# release (the one the toolchain test pins); each plugin is installed under
# the version its SDK's package.json `pulumi` block asks for.
repo="$(cd "$here/../.." && pwd)"
sdk_version() {
    node -e 'const p = require(process.argv[1]); console.log((p.pulumi && p.pulumi.version) || p.version)' \
        "$repo/node_modules/$1/package.json"
}
pulumi_version="$(sdk_version @pulumi/pulumi)"
kubernetes_plugin_version="$(sdk_version @pulumi/kubernetes)"
random_plugin_version="$(sdk_version @pulumi/random)"
# @pulumi/authentik (sdks/authentik) is parameterized: the engine loads the
# plugin its `pulumi` block names (terraform-provider) at that block's version
# and hands it the parameterization.
authentik_plugin_name="$(node -e 'console.log(require(process.argv[1]).pulumi.name)' "$repo/sdks/authentik/package.json")"
authentik_plugin_version="$(node -e 'console.log(require(process.argv[1]).pulumi.version)' "$repo/sdks/authentik/package.json")"
kubernetes_version="$(sed -n 's/^[[:space:]]*k8s.io\/kubernetes v\([^ ]*\).*/\1/p' "$here/kubernetes/go.mod")"
[[ -n "$pulumi_version" && -n "$kubernetes_plugin_version" && -n "$random_plugin_version" && -n "$kubernetes_version" \
    && "$authentik_plugin_name" == terraform-provider && -n "$authentik_plugin_version" ]] || {
    echo "build: could not read the versions (run npm run setup first)" >&2
    exit 1
}

pulumi_dir="$cache/pulumi-$pulumi_version"
kube_dir="$cache/kubernetes-$kubernetes_version"
k8s_provider_dir="$cache/pulumi-kubernetes-provider-$kubernetes_plugin_version"
pulumi_home="$cache/pulumi-home"
plugins="$pulumi_home/plugins"

# The CLI's Go module must be the same release as the SDK.
if ! grep -q "github.com/pulumi/pulumi/pkg/v3 v$pulumi_version\b" "$here/pulumi/go.mod"; then
    echo "build: e2e/build/pulumi/go.mod must require github.com/pulumi/pulumi/pkg/v3 v$pulumi_version (the @pulumi/pulumi in node_modules)" >&2
    exit 1
fi

if [[ "${1:-}" == "--print" ]]; then
    printf 'PULUMI_BIN=%s\nKUBE_BIN=%s\nPULUMI_HOME=%s\n' "$pulumi_dir/bin" "$kube_dir/bin" "$pulumi_home"
    exit 0
fi

export GOFLAGS="${GOFLAGS:-} -mod=mod -trimpath"

# stamp_of DIR [SUBDIR]: what a build of wrapper module DIR depends on: its
# go.mod, go.sum and Go sources, all but ./authentik (the Authentik stand-in
# has its own stamp, so changing it does not relink the CLI); with SUBDIR,
# go.mod, go.sum and SUBDIR's sources only.
stamp_of() {
    if [[ -n "${2:-}" ]]; then
        (cd "$1" && { echo go.mod; echo go.sum; find "./$2" -name '*.go'; } | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
    else
        (cd "$1" && find . -path ./authentik -prune -o \( -name '*.go' -o -name go.mod -o -name go.sum \) -print | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
    fi
}

# stamp_ok COMPONENT: true (and says "cached") when every binary of COMPONENT
# (pulumi, authentik, kubernetes, kubernetes-provider) exists and the stamp
# beside them matches its sources. Either way it sets the caller's `stamp`
# (the sources' stamp now) and `stampfile` (where a build writes it).
stamp_ok() {
    local label bin bins=()
    case "$1" in
        pulumi)
            stamp="$(stamp_of "$here/pulumi")" stampfile="$pulumi_dir/stamp" label="pulumi $pulumi_version"
            bins=("$pulumi_dir/bin/pulumi" "$pulumi_dir/bin/pulumi-language-nodejs" "$pulumi_dir/bin/pulumi-resource-random") ;;
        authentik)
            stamp="$(stamp_of "$here/pulumi" authentik)" stampfile="$pulumi_dir/stamp-authentik" label="Authentik stand-in"
            bins=("$pulumi_dir/bin/pulumi-resource-terraform-provider") ;;
        kubernetes)
            stamp="$(stamp_of "$here/kubernetes")" stampfile="$kube_dir/stamp" label="kubernetes $kubernetes_version"
            bins=("$kube_dir/bin/kube-apiserver" "$kube_dir/bin/kube-controller-manager" "$kube_dir/bin/etcd") ;;
        kubernetes-provider)
            stamp="$(stamp_of "$here/kubernetes-provider")" stampfile="$k8s_provider_dir/stamp" label="pulumi-kubernetes provider"
            bins=("$k8s_provider_dir/bin/pulumi-resource-kubernetes") ;;
        *) echo "build: stamp_ok: unknown component $1" >&2; exit 2 ;;
    esac
    [[ -f "$stampfile" && "$(cat "$stampfile")" == "$stamp" ]] || return 1
    for bin in "${bins[@]}"; do [[ -x "$bin" ]] || return 1; done
    echo "build: $label cached" >&2
}

# timed NAME COMMAND...: runs COMMAND under nice 19 and reports its wall time.
timed() {
    local name="$1" start
    shift
    start=$(date +%s)
    echo "build: $name ..." >&2
    nice -n 19 "$@"
    echo "build: $name took $(($(date +%s) - start)) s" >&2
}

build_pulumi() {
    local module="$here/pulumi" stamp stampfile
    stamp_ok pulumi && return
    mkdir -p "$pulumi_dir/bin"
    cd "$module"
    timed "pulumi CLI $pulumi_version" go build -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$pulumi_version" \
        -o "$pulumi_dir/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    timed "pulumi-language-nodejs (e2e host)" go build -ldflags "-s -w -X main.version=$pulumi_version" \
        -o "$pulumi_dir/bin/pulumi-language-nodejs" ./langhost
    timed "pulumi-resource-random (e2e plugin)" go build -ldflags "-s -w -X main.version=$random_plugin_version" \
        -o "$pulumi_dir/bin/pulumi-resource-random" ./random
    echo "$stamp" > "$stampfile"
}

# The Authentik stand-in (pulumi/authentik/main.go): no Terraform provider or
# bridge is served by the module proxy (see README.md).
build_authentik_plugin() {
    local module="$here/pulumi" stamp stampfile
    stamp_ok authentik && return
    mkdir -p "$pulumi_dir/bin"
    cd "$module"
    timed "pulumi-resource-terraform-provider (e2e Authentik stand-in)" go build \
        -ldflags "-s -w -X main.version=$authentik_plugin_version" \
        -o "$pulumi_dir/bin/pulumi-resource-terraform-provider" ./authentik
    echo "$stamp" > "$stampfile"
}

build_kubernetes() {
    local module="$here/kubernetes" stamp stampfile
    stamp_ok kubernetes && return
    mkdir -p "$kube_dir/bin"
    cd "$module"
    timed "kube-apiserver $kubernetes_version" go build -ldflags "-s -w" -o "$kube_dir/bin/kube-apiserver" \
        k8s.io/kubernetes/cmd/kube-apiserver
    timed "kube-controller-manager $kubernetes_version" go build -ldflags "-s -w" \
        -o "$kube_dir/bin/kube-controller-manager" k8s.io/kubernetes/cmd/kube-controller-manager
    timed "etcd (embedded)" go build -ldflags "-s -w" -o "$kube_dir/bin/etcd" ./etcd
    echo "$stamp" > "$stampfile"
}

# The provider module ships schema.json but not the minified, versioned
# schema-embed.json its release build generates; the build copy outside the
# repository gets both embed files next to the wrapper's main.go.
build_kubernetes_provider() {
    local module="$here/kubernetes-provider" stamp stampfile src work
    stamp_ok kubernetes-provider && return
    work="$k8s_provider_dir/src"
    rm -rf "$work"
    mkdir -p "$work" "$k8s_provider_dir/bin"
    cp "$module/go.mod" "$module/go.sum" "$module/main.go" "$work/"
    cd "$work"
    go mod download github.com/pulumi/pulumi-kubernetes/provider/v4
    src="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)/cmd/pulumi-resource-kubernetes"
    VERSION="$kubernetes_plugin_version" node -e '
        const fs = require("fs");
        const [src, out, version] = process.argv.slice(1);
        const schema = JSON.parse(fs.readFileSync(`${src}/schema.json`, "utf8"));
        schema.version = version;
        fs.writeFileSync(`${out}/schema-embed.json`, JSON.stringify(schema));
        const mapping = JSON.parse(fs.readFileSync(`${src}/terraform-mapping.json`, "utf8"));
        fs.writeFileSync(`${out}/terraform-mapping-embed.json`, JSON.stringify(mapping));
    ' "$src" "$work" "$kubernetes_plugin_version"
    timed "pulumi-resource-kubernetes (provider/v4 $(go list -m -f '{{.Version}}' github.com/pulumi/pulumi-kubernetes/provider/v4))" \
        go build -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$kubernetes_plugin_version" \
        -o "$k8s_provider_dir/bin/pulumi-resource-kubernetes" .
    echo "$stamp" > "$stampfile"
}

# install_plugin NAME VERSION BINARY: the engine's plugin cache layout
# ($PULUMI_HOME/plugins/resource-NAME-vVERSION/pulumi-resource-NAME).
install_plugin() {
    local dir="$plugins/resource-$1-v$2"
    mkdir -p "$dir"
    if ! cmp -s "$3" "$dir/pulumi-resource-$1"; then
        cp "$3" "$dir/pulumi-resource-$1.tmp"
        mv "$dir/pulumi-resource-$1.tmp" "$dir/pulumi-resource-$1"
    fi
    rm -f "$dir.partial"
}

components=("$@")
[[ ${#components[@]} -gt 0 ]] || components=(pulumi kubernetes-provider kubernetes)
for component in "${components[@]}"; do
    case "$component" in
        pulumi)
            build_pulumi
            install_plugin random "$random_plugin_version" "$pulumi_dir/bin/pulumi-resource-random"
            build_authentik_plugin
            install_plugin "$authentik_plugin_name" "$authentik_plugin_version" "$pulumi_dir/bin/pulumi-resource-terraform-provider"
            ;;
        kubernetes-provider)
            build_kubernetes_provider
            install_plugin kubernetes "$kubernetes_plugin_version" "$k8s_provider_dir/bin/pulumi-resource-kubernetes"
            ;;
        kubernetes) build_kubernetes ;;
        *) echo "build: unknown component $component (pulumi, kubernetes-provider, kubernetes)" >&2; exit 2 ;;
    esac
done
echo "build: done ($cache)" >&2
