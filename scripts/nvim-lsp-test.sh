#!/usr/bin/env bash
# `isolint server` in a real editor: headless Neovim (0.7.2 from Debian bookworm, or newer)
# opens Bicep and Terraform files, reads isolint's diagnostics, applies the rule's own fix
# (the preferred quick fix: the file must then differ only by the literal) and, on another
# copy, "suppress with a reason and an expiry date" (the comment must be there), checks the
# finding goes each time, then stops the server and checks it exited with status 0
# (scripts/nvim-lsp-test.lua does the talking). .ci/run runs it.
#
#   scripts/nvim-lsp-test.sh [ISOLINT_BINARY]
#
# ISOLINT_BINARY defaults to target/debug/isolint, built first with `cargo build -p isolint`.
#
# Needs nvim (`apt-get install -y neovim`). Exit 0 on success, 1 on a failed check (each
# says what it expected on standard error), 2 on usage or tool errors.
set -euo pipefail

die() {
    printf 'nvim-lsp-test: %s\n' "$*" >&2
    exit 2
}

cd "$(dirname "$0")/.."
repo=$PWD

[ "$#" -le 1 ] || die "usage: $0 [ISOLINT_BINARY]"

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
for action in fix suppress; do
    mkdir -p "$work/$action/bicep" "$work/$action/terraform"
    cp rules/AML001/bad.bicep "$work/$action/bicep/main.bicep"
    cp rules/AML001/bad.tf "$work/$action/terraform/main.tf"
done

status=0
ISOLINT_BIN=$binary ISOLINT_TEST_DIR=$work \
    timeout 120 nvim --headless -u NONE -i NONE -n \
    -c "luafile $repo/scripts/nvim-lsp-test.lua" || status=$?
if [ "$status" -ne 0 ]; then
    printf 'nvim-lsp-test: failed (Neovim exit status %s)\n' "$status" >&2
    exit 1
fi
printf 'nvim-lsp-test: passed\n'
