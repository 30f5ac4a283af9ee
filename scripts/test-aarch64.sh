#!/usr/bin/env bash
# The engine's tests built for aarch64 and run under qemu-user, from an x86-64 machine. On
# aarch64 the block kernel is the baseline one, which NEON vectorises as written; its tests
# there (every kernel against the scalar reference, the parity vectors, conservation) and the
# recorded bits of every mechanism (`engine/tests/determinism.rs`, recorded on x86-64) must pass
# as they do here: the same YAML and seed give the same results on both architectures.
#
#   scripts/test-aarch64.sh [--install]
#
# Needs rustup's aarch64-unknown-linux-gnu standard library and Debian's gcc-aarch64-linux-gnu,
# libc6-dev-arm64-cross and qemu-user; `--install` adds whichever is missing (root and apt).
# Exit 3: they are missing (CI prints a notice and goes on); any other failure is a test's.
# The cross linker and runner are set here, not in a `.cargo/config.toml`, which would also
# apply to native builds on an aarch64 machine.
set -euo pipefail
cd "$(dirname "$0")/.."
target=aarch64-unknown-linux-gnu
have_tools() {
    command -v aarch64-linux-gnu-gcc >/dev/null && command -v qemu-aarch64 >/dev/null &&
        [ -d /usr/aarch64-linux-gnu/lib ]
}
have_std() {
    rustup target list --installed 2>/dev/null | grep -qx "$target"
}
if [ "${1:-}" = "--install" ]; then
    if ! have_tools; then
        echo "== installing gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user"
        export DEBIAN_FRONTEND=noninteractive
        packages=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)
        apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null ||
            { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; }
    fi
    # Without network rustup cannot add it: then the check below says so (exit 3).
    have_std || rustup target add "$target" || true
fi
if ! have_tools || ! have_std; then
    echo "test-aarch64: needs rustup target $target, aarch64-linux-gnu-gcc and qemu-aarch64 (run with --install as root)" >&2
    exit 3
fi
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
cargo test --release -p tourney-engine --target "$target"
