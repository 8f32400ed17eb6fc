#!/usr/bin/env bash
# Benchmark: `x0t apply` of a 100-node manifest (CA, per node an SVID, ML-KEM-768 and
# ML-DSA-65 key pairs and a config, plus the roster) against `nebula-cert sign` for 100
# hosts, in the same run. Needs X0T_BIN (cargo xtask bench sets it), nebula-cert, hyperfine.
set -euo pipefail
: "${X0T_BIN:?set X0T_BIN to a release x0t}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

{
  printf 'apiVersion: x0tta6bl4.io/v1alpha1\nkind: Mesh\nmetadata: { name: bench }\nspec:\n  trustDomain: bench.x0tta6bl4.mesh\n  nodes:\n'
  for i in $(seq 1 100); do
    printf '    - { name: n%d, listen: 127.0.0.1:%d, metrics: 127.0.0.1:%d }\n' "$i" $((20000 + i)) $((30000 + i))
  done
} > x0t.yaml

cat > nebula-100.sh <<'SH'
set -e
rm -rf neb && mkdir neb && cd neb
nebula-cert ca -name bench -duration 8760h
for i in $(seq 1 100); do
  nebula-cert sign -name "n$i" -ip "10.42.$((i / 250)).$((i % 250 + 1))/16"
done
SH

hyperfine --warmup 2 --runs 15 --export-json result.json \
  --prepare 'rm -rf .x0t' \
  -n "x0t apply (100 nodes)" "$X0T_BIN apply --auto-approve -q" \
  -n "nebula-cert ca + sign x100" "bash nebula-100.sh" >&2

python3 - result.json <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
x0t = r["x0t apply (100 nodes)"]; neb = r["nebula-cert ca + sign x100"]
print(f"x0t apply 100 nodes: median {x0t['median']*1000:.1f} ms (min {x0t['min']*1000:.1f}, max {x0t['max']*1000:.1f})")
print(f"nebula-cert 100 hosts: median {neb['median']*1000:.1f} ms (min {neb['min']*1000:.1f}, max {neb['max']*1000:.1f})")
print(f"ratio nebula/x0t: {neb['median']/x0t['median']:.1f}x")
PY
# What one apply wrote, for the record.
"$X0T_BIN" apply --auto-approve -q >/dev/null 2>&1 || true
echo "files in state dir: $(find .x0t -type f | wc -l)"
