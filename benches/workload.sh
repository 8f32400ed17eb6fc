#!/usr/bin/env bash
# Benchmark: the embedded SPIFFE Workload API (connect to first SVID; SVIDs per second to
# 100 concurrent clients) and the rotation of every credential of a live 3-node mesh (wall
# time, and how many writes of a writer running throughout failed).
set -euo pipefail
: "${X0T_BIN:?set X0T_BIN to a release x0t}"
RUNS=${RUNS:-3}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
x0t() { (cd "$work/$mesh" && "$X0T_BIN" "$@"); }
start() { # node: starts it and waits for its readiness line
  (cd "$work/$mesh" && exec "$X0T_BIN" node run "$1" 2>"$work/$mesh/$1.log" >/dev/null) &
  pids+=($!)
  until grep -q '^ready ' "$work/$mesh/$1.log" 2>/dev/null; do sleep 0.1; done
}
manifest() { # name voters [extra spec lines]
  local name=$1 voters=$2
  mkdir -p "$work/$name"
  {
    echo "apiVersion: x0tta6bl4.io/v1alpha1"; echo "kind: Mesh"; echo "metadata: { name: $name }"; echo "spec:"
    echo "  trustDomain: $name.bench.mesh"; echo "  telemetry: { prometheus: false, otel: none }"; echo "  nodes:"
    for i in $(seq "$voters"); do echo "    - { name: n$i, listen: 127.0.0.1:$(port), role: voter, workloadSocket: n$i.sock }"; done
    echo "${3:-}"
  } >"$work/$name/x0t.yaml"
}

echo "== Workload API: 1 node, a workload for uid $(id -u)"
mesh=wl; manifest wl 1 "  workloads: [ { name: bench, node: n1, selectors: [\"unix:uid:$(id -u)\"], ttl: 1h } ]"
x0t apply --auto-approve >/dev/null 2>&1
start n1
for _ in $(seq "$RUNS"); do x0t bench workload --socket "$work/wl/n1.sock" --connects 200 --clients 100 --duration 5s; done

echo "== Rotation of every credential (PQC keys of nodes and operator, SVIDs, workload CAs) on a live 3-node mesh"
mesh=rot; manifest rot 3
x0t apply --auto-approve >/dev/null 2>&1
for n in n1 n2 n3; do start "$n"; done
until x0t status >/dev/null 2>&1; do sleep 0.2; done
for run in $(seq "$RUNS"); do
  : >"$work/ok"; : >"$work/fail"
  ( i=0; while [ ! -e "$work/stop" ]; do
      if x0t kv put "w$run-$i" v >/dev/null 2>>"$work/errors"; then echo >>"$work/ok"; else echo >>"$work/fail"; fi
      i=$((i+1)); done ) &
  writer=$!
  sleep 1
  s=$(date +%s%N)
  x0t keys rotate --all --auto-approve >/dev/null 2>&1
  x0t apply --auto-approve $(for n in n1 n2 n3; do echo --replace node.$n.svid --replace node.$n.intermediate; done) >/dev/null 2>&1
  t=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
  # Done when every node has reloaded after the last apply (its log says so) and the mesh
  # answers status as healthy again.
  for n in n1 n2 n3; do
    until grep 'reloaded credentials' "$work/rot/$n.log" | awk -v t="$t" '$1 >= t {f=1} END {exit !f}'; do sleep 0.05; done
  done
  until x0t status >/dev/null 2>&1; do sleep 0.05; done
  e=$(date +%s%N)
  sleep 1; touch "$work/stop"; wait "$writer"; rm -f "$work/stop"
  echo "run $run: rotation wall time $(( (e - s) / 1000000 )) ms; writes during it: $(wc -l <"$work/ok") ok, $(wc -l <"$work/fail") failed"
done
if [ -s "$work/errors" ]; then echo "write errors:"; sort "$work/errors" | uniq -c | head; fi

echo "== CA rollover (3 stages, each one apply that waits for the live nodes) on the same mesh"
for run in $(seq "$RUNS"); do
  : >"$work/ok"; : >"$work/fail"; : >"$work/errors"
  ( i=0; while [ ! -e "$work/stop" ]; do
      if x0t kv put "ca$run-$i" v >/dev/null 2>>"$work/errors"; then echo >>"$work/ok"; else echo >>"$work/fail"; fi
      i=$((i+1)); done ) &
  writer=$!
  sleep 1
  s=$(date +%s%N)
  x0t apply --auto-approve --replace ca >/dev/null 2>&1
  applies=1
  # Apply again until no rollover is left; a stage that waits for a node applies nothing.
  while x0t plan -o json 2>/dev/null | grep -q '"caRollover"'; do
    x0t apply --auto-approve >/dev/null 2>&1; applies=$((applies+1)); sleep 0.1
  done
  # Done when every node trusts only the new CA and presents an SVID from it.
  new=$(python3 -c 'import hashlib,ssl,sys; print("sha256:"+hashlib.sha256(ssl.PEM_cert_to_DER_cert(open(sys.argv[1]).read())).hexdigest())' "$work/rot/.x0t/ca/ca.crt")
  until x0t status -o json 2>/dev/null | python3 -c '
import json,sys; j=json.load(sys.stdin); new=sys.argv[1]
sys.exit(0 if j["healthy"] and all(n.get("trustBundle")==[new] and n.get("svidIssuer")==new for n in j["nodes"]) else 1)' "$new"; do sleep 0.05; done
  e=$(date +%s%N)
  sleep 1; touch "$work/stop"; wait "$writer"; rm -f "$work/stop"
  echo "run $run: CA rollover wall time $(( (e - s) / 1000000 )) ms in $applies applies; writes during it: $(wc -l <"$work/ok") ok, $(wc -l <"$work/fail") failed"
done
if [ -s "$work/errors" ]; then echo "write errors:"; sort "$work/errors" | uniq -c | head; fi
