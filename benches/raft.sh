#!/usr/bin/env bash
# Benchmark: durable Raft writes on 3 local nodes, 256-byte values, 1/16/256 clients, and
# failover (kill -9 leader -> new leader), for x0t and for a 3-node etcd 3.4 cluster on
# loopback driven by the real etcd v3 client, in the same run.
set -euo pipefail
: "${X0T_BIN:?set X0T_BIN to a release x0t}"
LEVELS=${LEVELS:-1,16,256}
SECONDS_PER_LEVEL=${SECONDS_PER_LEVEL:-10}
here=$(cd "$(dirname "$0")" && pwd)
command -v protoc >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null; }
cargo build --quiet --release --manifest-path "$here/etcd-load/Cargo.toml"
load="$here/etcd-load/target/release/etcd-load"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A client peer
for n in e1 e2 e3; do client[$n]=$(port); peer[$n]=$(port); done
cluster="e1=http://127.0.0.1:${peer[e1]},e2=http://127.0.0.1:${peer[e2]},e3=http://127.0.0.1:${peer[e3]}"
start_etcd() {
  local n=$1 state=$2
  etcd --name "$n" --data-dir "$work/$n" \
    --listen-client-urls "http://127.0.0.1:${client[$n]}" --advertise-client-urls "http://127.0.0.1:${client[$n]}" \
    --listen-peer-urls "http://127.0.0.1:${peer[$n]}" --initial-advertise-peer-urls "http://127.0.0.1:${peer[$n]}" \
    --initial-cluster "$cluster" --initial-cluster-state "$state" --heartbeat-interval 100 --election-timeout 500 \
    >"$work/$n.log" 2>&1 &
  pids+=($!)
  disown "$!"
  eval "pid_$n=$!"
}
for n in e1 e2 e3; do start_etcd "$n" new; done
endpoints="http://127.0.0.1:${client[e1]},http://127.0.0.1:${client[e2]},http://127.0.0.1:${client[e3]}"
until ETCDCTL_API=3 etcdctl --endpoints "$endpoints" endpoint health >/dev/null 2>&1; do sleep 0.2; done

echo "== etcd $(etcd --version | head -1 | awk '{print $3}'): 3 members on 127.0.0.1, 256-byte values"
"$load" "$endpoints" "$LEVELS" "$SECONDS_PER_LEVEL"

# Failover: kill -9 the leader, time until a surviving member reports a new leader.
samples=()
for round in 1 2 3 4 5; do
  leader=$(ETCDCTL_API=3 etcdctl --endpoints "$endpoints" endpoint status -w json | python3 -c 'import json,sys; d=json.load(sys.stdin); l=[x for x in d if x["Status"]["leader"]==x["Status"]["header"]["member_id"]]; print(l[0]["Endpoint"])')
  for n in e1 e2 e3; do if [[ "$leader" == *":${client[$n]}" ]]; then victim=$n; fi; done
  t0=$(date +%s%N)
  kill -9 "$(eval echo \$pid_$victim)"
  others=$(for n in e1 e2 e3; do if [ "$n" != "$victim" ]; then printf 'http://127.0.0.1:%s,' "${client[$n]}"; fi; done)
  until ETCDCTL_API=3 etcdctl --endpoints "${others%,}" endpoint status -w json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if any(x["Status"]["leader"]==x["Status"]["header"]["member_id"] for x in d) else 1)' 2>/dev/null; do sleep 0.01; done
  t1=$(date +%s%N)
  samples+=($(( (t1 - t0) / 1000000 )))
  start_etcd "$victim" existing
  until ETCDCTL_API=3 etcdctl --endpoints "$endpoints" endpoint health >/dev/null 2>&1; do sleep 0.1; done
done
sorted=($(printf '%s\n' "${samples[@]}" | sort -n))
echo "failover (kill -9 leader -> new leader): median ${sorted[2]} ms over 5 rounds (${samples[*]} ms)"

echo
echo "== x0t"
"$X0T_BIN" bench raft --clients "$LEVELS" --duration "${SECONDS_PER_LEVEL}s" --failover-rounds 5
