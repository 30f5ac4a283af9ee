#!/usr/bin/env bash
# Where `tourney bench` spends its time: the block kernel's passes against everything else
# (the market, epochs, shares, the block's bookkeeping), from `perf record` samples.
#
#   scripts/kernel-share.sh [TOURNEY_BINARY] [SUBNETS] [DAYS]
#
# Prints the share of samples in each group and the five hottest symbols outside the kernel.
# Needs `perf` (Debian: linux-perf); sampling works where hardware counters do not (it falls
# back to the CPU clock). Run it on an idle machine: the shares are of wall-clock samples.
# The kernel is every function of `engine/src/network/block_kernel.rs` (the elementwise
# passes, the root sale and the chain buys), whichever SIMD version ran.
set -euo pipefail
bin=${1:-target/release/tourney}
subnets=${2:-32}
days=${3:-30}
data=$(mktemp --suffix=.perf)
trap 'rm -f "$data"' EXIT
perf record -q -F 2999 -o "$data" "$bin" bench --subnets "$subnets" --days "$days" --repeat 5 >/dev/null 2>&1
perf report -i "$data" --no-children --stdio --sort sym 2>/dev/null |
    awk -v subnets="$subnets" '
        /^ +[0-9.]+%/ {
            pct = $1 + 0
            sub(/^ +[0-9.]+% +\[[.k]\] +/, "")
            total += pct
            if ($0 ~ /block_kernel::/) kernel += pct
            else { outside += pct; if (n < 5) top[n++] = sprintf("  %6.2f%%  %s", pct, $0) }
        }
        END {
            printf "subnets %d: block kernel %.1f%%, outside the kernel %.1f%% (of %.1f%% of samples attributed)\n",
                subnets, kernel, outside, total
            print "hottest outside the kernel:"
            for (i = 0; i < n; i++) print top[i]
        }'
