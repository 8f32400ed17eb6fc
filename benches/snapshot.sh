#!/usr/bin/env bash
# Benchmark: a 3-node mesh holding 100k keys x 1 KB; time to save a snapshot to a file, to
# verify the file, and to restore it into an empty data directory, for x0t and for a 3-node
# etcd 3.4 cluster on loopback (etcdctl snapshot save / status / restore), in the same run.
set -euo pipefail
: "${X0T_BIN:?set X0T_BIN to a release x0t}"
KEYS=${KEYS:-100000}
SIZE=${SIZE:-1024}
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
command -v protoc >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null; }
cargo build --quiet --release --manifest-path "$here/etcd-load/Cargo.toml"
load="$here/etcd-load/target/release/etcd-load"
export ETCDCTL_API=3

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Milliseconds one command takes (its output discarded; a failure aborts the benchmark).
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Runs "$@" RUNS times after `prep` (a function name, or :), prints the samples' median.
bench() { local prep=$1; shift; local out=(); for _ in $(seq "$RUNS"); do $prep; out+=("$(ms "$@")"); done; printf '%s\n' "${out[@]}" | median; }

echo "== etcd $(etcd --version | head -1 | awk '{print $3}'): 3 members, $KEYS keys x $SIZE bytes"
declare -A client peer
for n in e1 e2 e3; do client[$n]=$(port); peer[$n]=$(port); done
cluster="e1=http://127.0.0.1:${peer[e1]},e2=http://127.0.0.1:${peer[e2]},e3=http://127.0.0.1:${peer[e3]}"
for n in e1 e2 e3; do
  etcd --name "$n" --data-dir "$work/$n" --quota-backend-bytes 8589934592 \
    --listen-client-urls "http://127.0.0.1:${client[$n]}" --advertise-client-urls "http://127.0.0.1:${client[$n]}" \
    --listen-peer-urls "http://127.0.0.1:${peer[$n]}" --initial-advertise-peer-urls "http://127.0.0.1:${peer[$n]}" \
    --initial-cluster "$cluster" --initial-cluster-state new >"$work/$n.log" 2>&1 &
  pids+=($!)
done
endpoints="http://127.0.0.1:${client[e1]},http://127.0.0.1:${client[e2]},http://127.0.0.1:${client[e3]}"
until etcdctl --endpoints "$endpoints" endpoint health >/dev/null 2>&1; do sleep 0.2; done
"$load" fill "$endpoints" "$KEYS" "$SIZE"
e_save_prep() { rm -f "$work/e.db"; }
e_save=$(bench e_save_prep etcdctl --endpoints "http://127.0.0.1:${client[e1]}" snapshot save "$work/e.db")
e_verify=$(bench : etcdctl snapshot status "$work/e.db")
e_restore_prep() { rm -rf "$work/e-restored"; }
e_restore=$(bench e_restore_prep etcdctl snapshot restore "$work/e.db" --data-dir "$work/e-restored")
e_size=$(stat -c %s "$work/e.db")
for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
pids=()

echo "== x0t: 3 voters, $KEYS keys x $SIZE bytes"
mkdir -p "$work/x" && cd "$work/x"
{
  printf 'apiVersion: x0tta6bl4.io/v1alpha1\nkind: Mesh\nmetadata: { name: snapbench }\nspec:\n'
  printf '  trustDomain: snapbench.x0tta6bl4.mesh\n  telemetry: { prometheus: false, otel: none }\n  nodes:\n'
  for n in n1 n2 n3; do printf '    - { name: %s, listen: 127.0.0.1:%s }\n' "$n" "$(port)"; done
} > x0t.yaml
"$X0T_BIN" apply --auto-approve -q >/dev/null
for n in n1 n2 n3; do RUST_LOG=error "$X0T_BIN" node run "$n" >/dev/null 2>&1 & pids+=($!); done
until "$X0T_BIN" status -q >/dev/null 2>&1; do sleep 0.2; done
"$X0T_BIN" bench fill --keys "$KEYS" --value-size "$SIZE" -q
# The first save builds the snapshot from the store; later ones stream the current one.
x_first=$(ms "$X0T_BIN" snapshot save x.snap --timeout 120s)
x_save=$(bench : "$X0T_BIN" snapshot save x.snap --timeout 120s)
x_verify=$(bench : "$X0T_BIN" snapshot verify x.snap)
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()
x_restore_prep() { rm -rf .x0t/nodes/n1/raft*; }
x_restore=$(bench x_restore_prep "$X0T_BIN" snapshot restore x.snap --node n1)
x_size=$(stat -c %s x.snap)

ratio() { python3 -c "print(f'{$1/$2:.2f}x')"; }
echo
printf '%-34s %12s %12s %10s\n' "step (median of $RUNS, ms)" "etcd" "x0t" "x0t/etcd"
printf '%-34s %12s %12s %10s\n' "save (x0t: current snapshot)" "$e_save" "$x_save" "$(ratio "$x_save" "$e_save")"
printf '%-34s %12s %12s %10s\n' "save (x0t: first, builds it)" "$e_save" "$x_first" "$(ratio "$x_first" "$e_save")"
printf '%-34s %12s %12s %10s\n' "verify (etcd: snapshot status)" "$e_verify" "$x_verify" "$(ratio "$x_verify" "$e_verify")"
printf '%-34s %12s %12s %10s\n' "restore into an empty data dir" "$e_restore" "$x_restore" "$(ratio "$x_restore" "$e_restore")"
printf '%-34s %12s %12s\n' "file size (bytes)" "$e_size" "$x_size"
