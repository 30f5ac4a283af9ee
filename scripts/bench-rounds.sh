#!/usr/bin/env bash
# `tourney bench` of several builds and kernels on one pinned core, alternating, so that each
# round sees the same machine: this VM's speed moves by 20–30 % between minutes, and a figure
# measured alone is not comparable with one measured later.
#
#   scripts/bench-rounds.sh SUBNETS DAYS ROUNDS KERNEL:BINARY...
#
# KERNEL is baseline, avx2 or avx512 (`TOURNEY_SIMD`); each round runs every KERNEL:BINARY once
# (`--repeat 1`) on core 1 (`taskset`); at the end, each configuration's best and median
# subnet-blocks per second. Example (docs/performance.md):
#
#   scripts/bench-rounds.sh 128 10 6 avx512:old/tourney avx512:target/release/tourney
set -euo pipefail
if [ $# -lt 4 ]; then
    sed -n '5,6p' "$0" >&2
    exit 2
fi
subnets=$1 days=$2 rounds=$3
shift 3
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
for ((round = 1; round <= rounds; round++)); do
    k=0
    for config in "$@"; do
        kernel=${config%%:*} bin=${config#*:}
        TOURNEY_SIMD=$kernel taskset -c 1 "$bin" bench --subnets "$subnets" --days "$days" --repeat 1 |
            awk '/^subnet_blocks_per_second:/ { print $2 }' >>"$results/$k"
        k=$((k + 1))
    done
done
k=0
for config in "$@"; do
    sort -g "$results/$k" | awk -v config="$config" -v subnets="$subnets" '
        { v[NR] = $1 }
        END {
            median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%s subnets  %-50s best %.3g  median %.3g  (%d runs)\n", subnets, config, v[NR], median, NR
        }'
    k=$((k + 1))
done
