#!/usr/bin/env bash
# Installs gh-policy from a GitHub release, verified against the release's SHA256SUMS.
#
#   action/install.sh [install]   print the directory holding gh-policy, after downloading,
#                                 verifying and unpacking it unless that version is there
#   action/install.sh resolve     print version=, target=, base= and bin-dir= lines (for
#                                 $GITHUB_OUTPUT); downloads nothing, but "latest" is
#                                 looked up
#
# Environment:
#   GH_POLICY_VERSION          v1.2.3, 1.2.3 or latest; when empty, GH_POLICY_DEFAULT_VERSION
#                              if that is a version tag, else latest
#   GH_POLICY_DEFAULT_VERSION  the action's own ref (github.action_ref): v1.2.3 when the
#                              action is used as OWNER/gh-policy@v1.2.3
#   GH_POLICY_RELEASE_BASE     where the releases are, as BASE/TAG/ASSET: an https:// URL, a
#                              file:// URL or a local directory. BASE/latest is the latest
#                              release: GitHub redirects it; in a directory it is a symbolic
#                              link to a tag's directory
#   GH_POLICY_REPOSITORY       OWNER/NAME whose GitHub releases to use when GH_POLICY_RELEASE_BASE
#                              is unset: $GITHUB_SERVER_URL/OWNER/NAME/releases/download
#   GH_POLICY_ACTION_PATH      the action's directory (github.action_path); .../_actions/OWNER/NAME/REF
#                              stands in for a missing GH_POLICY_DEFAULT_VERSION and GH_POLICY_REPOSITORY
#   GH_POLICY_INSTALL_DIR      where binaries are kept, as DIR/TAG/TARGET/gh-policy; default
#                              $RUNNER_TOOL_CACHE/gh-policy, else ~/.cache/gh-policy-releases
#   GH_POLICY_TARGET           the Rust target to install, instead of detecting it with uname
#
# Bash 3.2 or later and POSIX tools (uname, tar, mktemp, awk), sha256sum or shasum, curl for
# https, unzip for Windows. Notes go to stderr; only the result goes to stdout.
set -euo pipefail

note() { printf 'gh-policy install: %s\n' "$*" >&2; }
die() {
    printf 'gh-policy install: error: %s\n' "$*" >&2
    exit 1
}

# A release tag: v, then a semantic version (with an optional pre-release or build suffix).
is_version() {
    printf '%s\n' "$1" | grep -Eq '^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$'
}

# The parts of .../_actions/OWNER/NAME/REF, when the action was fetched by the runner.
action_path_part() {
    case ${GH_POLICY_ACTION_PATH:-} in
        */_actions/*/*/*) ;;
        *) return 0 ;;
    esac
    local rest=${GH_POLICY_ACTION_PATH#*/_actions/}
    local owner=${rest%%/*}
    rest=${rest#*/}
    local name=${rest%%/*}
    local ref=${rest#*/}
    case $1 in
        repository) printf '%s/%s\n' "$owner" "$name" ;;
        ref) printf '%s\n' "$ref" ;;
    esac
}

detect_target() {
    if [ -n "${GH_POLICY_TARGET:-}" ]; then
        printf '%s\n' "$GH_POLICY_TARGET"
        return
    fi
    local os arch
    os=$(uname -s)
    arch=$(uname -m)
    case $arch in
        x86_64 | amd64 | AMD64) arch=x86_64 ;;
        aarch64 | arm64 | ARM64) arch=aarch64 ;;
        *) die "no gh-policy release for the processor '$arch' (uname -m); build from source: cargo install --locked --path ." ;;
    esac
    case $os in
        Linux) printf '%s-unknown-linux-musl\n' "$arch" ;;
        Darwin) printf '%s-apple-darwin\n' "$arch" ;;
        # Windows on Arm runs the x86_64 build.
        MINGW* | MSYS* | CYGWIN* | Windows_NT) printf 'x86_64-pc-windows-msvc\n' ;;
        *) die "no gh-policy release for the system '$os' (uname -s); build from source: cargo install --locked --path ." ;;
    esac
}

release_base() {
    local base=${GH_POLICY_RELEASE_BASE:-}
    if [ -z "$base" ]; then
        local repository=${GH_POLICY_REPOSITORY:-}
        [ -n "$repository" ] || repository=$(action_path_part repository)
        [ -n "$repository" ] || die "set GH_POLICY_RELEASE_BASE (a release URL or directory) or GH_POLICY_REPOSITORY (OWNER/NAME)"
        base=${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download
    fi
    case $base in
        https://* | file://*) ;;
        *://*) die "refusing $base: only https://, file:// or a local directory" ;;
        *) [ -d "$base" ] || die "GH_POLICY_RELEASE_BASE $base is not a directory" ;;
    esac
    printf '%s\n' "${base%/}"
}

# The tag that "latest" stands for.
resolve_latest() {
    local base=$1 tag
    case $base in
        https://*)
            case $base in
                */releases/download) ;;
                *) die "cannot look up the latest release under $base; set GH_POLICY_VERSION" ;;
            esac
            command -v curl > /dev/null 2>&1 || die "curl is not installed"
            local url
            url=$(curl -fsSLI --proto '=https' --tlsv1.2 --retry 3 -o /dev/null -w '%{url_effective}' \
                "${base%/download}/latest") || die "cannot look up the latest release at ${base%/download}/latest"
            case $url in
                */releases/tag/*) tag=${url##*/} ;;
                *) die "found no release at ${base%/download}/latest (it led to $url)" ;;
            esac
            ;;
        *)
            local dir=${base#file://}
            [ -L "$dir/latest" ] || die "$dir/latest is not a symbolic link to the latest release's directory; set GH_POLICY_VERSION"
            tag=$(basename "$(readlink "$dir/latest")")
            ;;
    esac
    is_version "$tag" || die "the latest release's tag '$tag' is not a version tag"
    printf '%s\n' "$tag"
}

resolve_version() {
    local version=${GH_POLICY_VERSION:-}
    if [ -z "$version" ]; then
        local default=${GH_POLICY_DEFAULT_VERSION:-}
        [ -n "$default" ] || default=$(action_path_part ref)
        if is_version "$default"; then
            version=$default
        else
            version=latest
        fi
    fi
    case $version in
        latest) resolve_latest "$1" ;;
        v*) is_version "$version" || die "GH_POLICY_VERSION '$version' is not a version such as v1.2.3 or latest"
            printf '%s\n' "$version" ;;
        *) is_version "v$version" || die "GH_POLICY_VERSION '$version' is not a version such as v1.2.3 or latest"
            printf 'v%s\n' "$version" ;;
    esac
}

install_root() {
    if [ -n "${GH_POLICY_INSTALL_DIR:-}" ]; then
        printf '%s\n' "${GH_POLICY_INSTALL_DIR%/}"
    elif [ -n "${RUNNER_TOOL_CACHE:-}" ]; then
        printf '%s/gh-policy\n' "${RUNNER_TOOL_CACHE%/}"
    else
        printf '%s/gh-policy-releases\n' "${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}"
    fi
}

fetch() {
    local url=$1 dest=$2
    case $url in
        https://*) curl -fsSL --proto '=https' --tlsv1.2 --retry 3 -o "$dest" "$url" ;;
        file://*) cp "${url#file://}" "$dest" ;;
        *) cp "$url" "$dest" ;;
    esac
}

sha256() {
    if command -v sha256sum > /dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum > /dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    else
        die "neither sha256sum nor shasum is installed: cannot verify the download"
    fi
}

main() {
    local mode=${1:-install}
    case $mode in
        install | resolve) ;;
        *) die "usage: install.sh [install|resolve]" ;;
    esac
    local base target version root exe bin_dir
    base=$(release_base)
    target=$(detect_target)
    version=$(resolve_version "$base")
    root=$(install_root)
    bin_dir=$root/$version/$target
    exe=gh-policy
    case $target in *-windows-*) exe=gh-policy.exe ;; esac

    if [ "$mode" = resolve ]; then
        printf 'version=%s\ntarget=%s\nbase=%s\nbin-dir=%s\n' "$version" "$target" "$base" "$bin_dir"
        return
    fi

    if [ -f "$bin_dir/$exe" ] && [ -x "$bin_dir/$exe" ]; then
        note "gh-policy $version ($target) is already installed in $bin_dir (cached); not downloading"
        printf '%s\n' "$bin_dir"
        return
    fi

    local asset=gh-policy-$version-$target.tar.gz
    case $target in *-windows-*) asset=gh-policy-$version-$target.zip ;; esac
    local tmp
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/gh-policy-install.XXXXXX")
    # shellcheck disable=SC2064 # expand now: tmp is local
    trap "rm -rf '$tmp'" EXIT

    note "downloading $base/$version/$asset"
    fetch "$base/$version/SHA256SUMS" "$tmp/SHA256SUMS" ||
        die "cannot download $base/$version/SHA256SUMS (is $version released?)"
    fetch "$base/$version/$asset" "$tmp/$asset" ||
        die "cannot download $base/$version/$asset (no build for $target?)"

    local expected actual
    expected=$(awk -v name="$asset" '$2 == name || $2 == ("*" name) { print $1 }' "$tmp/SHA256SUMS" | tr 'A-F' 'a-f')
    printf '%s\n' "$expected" | grep -Eq '^[0-9a-f]{64}$' ||
        die "SHA256SUMS of $version has no single checksum for $asset; not installing"
    actual=$(sha256 "$tmp/$asset")
    [ "$actual" = "$expected" ] ||
        die "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual; not installing"
    note "verified: sha256 $actual"

    mkdir "$tmp/unpacked"
    case $asset in
        *.zip)
            command -v unzip > /dev/null 2>&1 || die "unzip is not installed"
            unzip -q "$tmp/$asset" -d "$tmp/unpacked"
            ;;
        *) tar -xzf "$tmp/$asset" -C "$tmp/unpacked" ;;
    esac
    local binary=$tmp/unpacked/gh-policy-$version-$target/$exe
    [ -f "$binary" ] || die "$asset has no gh-policy-$version-$target/$exe"
    chmod 0755 "$binary"

    # Into place in one rename, so that an interrupted install leaves nothing half-written.
    mkdir -p "$root/$version"
    local stage
    stage=$(mktemp -d "$root/$version/.$target.XXXXXX")
    mv "$binary" "$stage/$exe"
    if [ -e "$bin_dir" ]; then
        rm -rf "$stage" # another install got there first
    else
        mv "$stage" "$bin_dir"
    fi
    note "installed gh-policy $version ($target) in $bin_dir"
    printf '%s\n' "$bin_dir"
}

main "$@"
