#!/usr/bin/env bash
# Packages built gh-policy binaries as the assets of a GitHub release.
#
#   release/package.sh TAG BUILT_DIR OUT_DIR
#
# BUILT_DIR holds one directory per Rust target, named for it, with the binary `gh-policy`
# (`gh-policy.exe` for Windows) inside: the layout in which the release workflow downloads
# its build artifacts. For each target this writes to OUT_DIR
#
#   gh-policy-TAG-TARGET.tar.gz     (.zip for Windows) holding gh-policy-TAG-TARGET/gh-policy
#                                   and README.md
#   gh-policy-OS-ARCH               the bare binary, named as `gh extension install` looks
#                                   for a precompiled extension (linux-amd64, darwin-arm64,
#                                   windows-amd64.exe, ...)
#
# then policy.schema.json, the policy file's JSON Schema of this version (what
# `gh-policy schema` prints: schema/policy.schema.json, which a test keeps identical to it),
# that the modeline of an exported policy points at
# (https://github.com/OWNER/gh-policy/releases/download/TAG/policy.schema.json),
# and SHA256SUMS: one `HASH  NAME` line for every file above, sorted by name.
# action/install.sh reads this layout, and tests/it/install.rs builds its fake releases
# with this script, so the two cannot drift apart.
set -euo pipefail

die() {
    printf 'package.sh: %s\n' "$*" >&2
    exit 1
}

[ $# -eq 3 ] || die "usage: release/package.sh TAG BUILT_DIR OUT_DIR"
tag=$1
built=$2
out=$3
root=$(cd "$(dirname "$0")/.." && pwd)

case $tag in
    v[0-9]*) ;;
    *) die "TAG must be a version tag such as v1.2.3, not '$tag'" ;;
esac
[ -d "$built" ] || die "no directory $built"
mkdir -p "$out"

sha256() {
    if command -v sha256sum > /dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum > /dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    else
        die "neither sha256sum nor shasum is installed"
    fi
}

# The name `gh extension install` looks for: gh-policy-GOOS-GOARCH[.exe].
gh_name() {
    case $1 in
        x86_64-unknown-linux-musl) echo gh-policy-linux-amd64 ;;
        aarch64-unknown-linux-musl) echo gh-policy-linux-arm64 ;;
        x86_64-apple-darwin) echo gh-policy-darwin-amd64 ;;
        aarch64-apple-darwin) echo gh-policy-darwin-arm64 ;;
        x86_64-pc-windows-msvc) echo gh-policy-windows-amd64.exe ;;
        *) die "no release name for target $1" ;;
    esac
}

staging=$(mktemp -d "${TMPDIR:-/tmp}/gh-policy-package.XXXXXX")
trap 'rm -rf "$staging"' EXIT

count=0
for dir in "$built"/*/; do
    target=$(basename "$dir")
    exe=gh-policy
    case $target in *-windows-*) exe=gh-policy.exe ;; esac
    [ -f "$dir/$exe" ] || die "no $exe in $dir"
    name=gh-policy-$tag-$target
    mkdir "$staging/$name"
    cp "$dir/$exe" "$staging/$name/$exe"
    cp "$root/README.md" "$staging/$name/README.md"
    # Artifacts lose the executable bit on their way between jobs.
    chmod 0755 "$staging/$name/$exe"
    chmod 0644 "$staging/$name/README.md"
    case $target in
        *-windows-*)
            command -v zip > /dev/null 2>&1 || die "zip is not installed"
            rm -f "$out/$name.zip"
            (cd "$staging" && zip -q -r -X "$name.zip" "$name")
            mv "$staging/$name.zip" "$out/$name.zip"
            ;;
        *)
            tar -C "$staging" -czf "$out/$name.tar.gz" "$name"
            ;;
    esac
    cp "$staging/$name/$exe" "$out/$(gh_name "$target")"
    count=$((count + 1))
done
[ "$count" -gt 0 ] || die "no target directories in $built"

for schema in policy.schema.json org-policy.schema.json; do
    [ -f "$root/schema/$schema" ] || die "no schema/$schema in $root"
    cp "$root/schema/$schema" "$out/$schema"
    chmod 0644 "$out/$schema"
done

# Every asset but the checksum file itself, sorted bytewise so the file is stable.
(
    cd "$out"
    for asset in gh-policy-* policy.schema.json org-policy.schema.json; do
        printf '%s  %s\n' "$(sha256 "$asset")" "$asset"
    done | LC_ALL=C sort -k 2
) > "$out/SHA256SUMS.tmp"
mv "$out/SHA256SUMS.tmp" "$out/SHA256SUMS"
printf 'package.sh: %d targets packaged in %s\n' "$count" "$out" >&2
