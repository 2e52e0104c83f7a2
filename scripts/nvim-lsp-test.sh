#!/usr/bin/env bash
# `isolint server` in a real editor: headless Neovim (0.7.2 from Debian bookworm, or newer)
# opens a Bicep and a Terraform file, reads isolint's diagnostics, applies a code action and
# checks the finding goes, then stops the server and checks it exited with status 0
# (scripts/nvim-lsp-test.lua does the talking).
#
#   scripts/nvim-lsp-test.sh [--quick-fix] [ISOLINT_BINARY]
#
# By default the action applied is "suppress with a reason and an expiry date" and the
# inserted comment is checked; --quick-fix applies the rule's preferred quick fix instead and
# checks the value was fixed (for when the rules give fixes). ISOLINT_BINARY defaults to
# target/debug/isolint, built first with `cargo build -p isolint`.
#
# Needs nvim (`apt-get install -y neovim`). Exit 0 on success, 1 on a failed check, 2 on
# usage or tool errors.
set -euo pipefail

die() {
    printf 'nvim-lsp-test: %s\n' "$*" >&2
    exit 2
}

cd "$(dirname "$0")/.."
repo=$PWD

quick_fix=0
if [ "${1:-}" = "--quick-fix" ]; then
    quick_fix=1
    shift
fi
[ "$#" -le 1 ] || die "usage: $0 [--quick-fix] [ISOLINT_BINARY]"

command -v nvim >/dev/null 2>&1 || die "nvim is required (apt-get install -y neovim)"

if [ "$#" -eq 1 ]; then
    binary=$(realpath "$1")
else
    cargo build --quiet --locked -p isolint || die "cargo build failed"
    binary=$repo/target/debug/isolint
fi
[ -x "$binary" ] || die "$binary is not an executable"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bicep" "$work/terraform"
cp rules/AML001/bad.bicep "$work/bicep/main.bicep"
cp rules/AML001/bad.tf "$work/terraform/main.tf"

status=0
ISOLINT_BIN=$binary ISOLINT_TEST_DIR=$work ISOLINT_QUICK_FIX=$quick_fix \
    timeout 120 nvim --headless -u NONE -i NONE -n \
    -c "luafile $repo/scripts/nvim-lsp-test.lua" || status=$?
if [ "$status" -ne 0 ]; then
    printf 'nvim-lsp-test: failed (Neovim exit status %s)\n' "$status" >&2
    exit 1
fi
printf 'nvim-lsp-test: passed\n'
