#!/bin/sh
# Instructions the server spends per request on one page of bench/run.py, counted by
# valgrind (callgrind): the same figure whatever else the machine is running, so two
# trees can be compared on a busy machine where CPU time per request swings by 20 %.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ps_scale_data \
#   REDIS_URL=redis://127.0.0.1:6379/0 sh bench/instructions.sh meeting [tree]
#
# Runs bench/profile_page.py under callgrind twice, with 10 and with 40 timed requests
# (after the same warm-up), and prints the difference divided by 30: what one warm
# request costs, start-up and warm-up left out. Needs valgrind (Debian's package);
# takes two to five minutes a page. Python's hash seed is fixed so runs repeat.
set -eu
page=${1:?usage: bench/instructions.sh <page> [tree]}
tree=${2:-.}
cd "$tree"
export PYTHONHASHSEED=0
count() {
    # Each run starts from an empty cache of its own, so both pay the same first builds
    # (which the difference then cancels), and no other tree's entries ever answer.
    CACHE_KEY_PREFIX="bench-instructions-$$-$1" valgrind --tool=callgrind --callgrind-out-file=/dev/null --dump-instr=no --cache-sim=no \
        .venv/bin/python bench/profile_page.py "$page" --requests "$1" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
few=$(count 10)
many=$(count 40)
echo "$page: $(((many - few) / 30)) instructions per request ($(git rev-parse --short HEAD))"
