#!/usr/bin/env bash
# Benchmark: data-plane messages (1 KiB, open loop, acknowledged once stored with fsync at
# the destination) from n1 through a relay to n3 and over a direct link to n2, on a local
# 4-node x0t mesh. The Nebula relay peer, in the same run as this, is benches/nebula.sh.
set -euo pipefail
: "${X0T_BIN:?set X0T_BIN to a release x0t}"
RATES=${RATES:-5000,10000,20000,30000,40000}
SECONDS_PER_LEVEL=${SECONDS_PER_LEVEL:-5}
"$X0T_BIN" bench mesh --rates "$RATES" --duration "${SECONDS_PER_LEVEL}s"
