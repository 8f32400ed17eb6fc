#!/usr/bin/env bash
# Peer benchmark for the data plane: one Nebula relay hop, driven by `x0t bench tcp` (the
# open-loop generator of `x0t bench mesh`, over plain TCP). Three network namespaces: host
# a and host b each reach only the relay r (no IP forwarding in r), so Nebula carries a's
# traffic to b through r's relay. For reference it also measures plain TCP from a to r
# over the veth link, then runs `x0t bench mesh` at the same rates. Needs root and Debian's
# `nebula` (apt-get install nebula).
set -euo pipefail
: "${X0T_BIN:?set X0T_BIN to a release x0t}"
RATES=${RATES:-10000,20000,40000,50000,60000}
SECONDS_PER_LEVEL=${SECONDS_PER_LEVEL:-5}
command -v nebula >/dev/null || { echo "nebula is not installed: apt-get install nebula" >&2; exit 2; }

dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in a r b; do ip netns del "xneb-$n" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

for n in a r b; do
  ip netns del "xneb-$n" 2>/dev/null || true
  ip netns add "xneb-$n"
  ip -n "xneb-$n" link set lo up
done
ip link add xneb-a0 type veth peer name xneb-ra
ip link set xneb-a0 netns xneb-a
ip link set xneb-ra netns xneb-r
ip link add xneb-b0 type veth peer name xneb-rb
ip link set xneb-b0 netns xneb-b
ip link set xneb-rb netns xneb-r
ip -n xneb-a addr add 10.77.1.1/24 dev xneb-a0
ip -n xneb-r addr add 10.77.1.2/24 dev xneb-ra
ip -n xneb-b addr add 10.77.2.1/24 dev xneb-b0
ip -n xneb-r addr add 10.77.2.2/24 dev xneb-rb
ip -n xneb-a link set xneb-a0 up
ip -n xneb-r link set xneb-ra up
ip -n xneb-b link set xneb-b0 up
ip -n xneb-r link set xneb-rb up
ip netns exec xneb-r sysctl -qw net.ipv4.ip_forward=0

cd "$dir"
nebula-cert ca -name x0t-bench -duration 24h
nebula-cert sign -name a -ip 192.168.77.1/24
nebula-cert sign -name r -ip 192.168.77.2/24
nebula-cert sign -name b -ip 192.168.77.3/24
for n in a r b; do
  if [ "$n" = r ]; then
    lighthouse="am_lighthouse: true"
    relay="am_relay: true"
  else
    lighthouse=$'am_lighthouse: false\n  hosts: ["192.168.77.2"]'
    relay=$'am_relay: false\n  use_relays: true\n  relays: ["192.168.77.2"]'
  fi
  cat >"$n.yaml" <<YAML
pki: { ca: $dir/ca.crt, cert: $dir/$n.crt, key: $dir/$n.key }
static_host_map:
  "192.168.77.2": ["10.77.1.2:4242", "10.77.2.2:4242"]
lighthouse:
  $lighthouse
listen: { host: 0.0.0.0, port: 4242 }
punchy: { punch: false }
relay:
  $relay
tun: { dev: neb0, mtu: 1300 }
logging: { level: warning }
firewall:
  outbound: [{ port: any, proto: any, host: any }]
  inbound: [{ port: any, proto: any, host: any }]
YAML
  ip netns exec "xneb-$n" nebula -config "$dir/$n.yaml" >"$dir/$n.log" 2>&1 &
  pids+=($!)
done

# The sinks: b behind the relay (overlay), r on the veth link (plain TCP reference).
for _ in $(seq 50); do
  ip -n xneb-b addr show neb0 2>/dev/null | grep -q 192.168.77.3 && break
  sleep 0.2
done
ip netns exec xneb-b "$X0T_BIN" bench tcp --listen 192.168.77.3:9000 &
pids+=($!)
ip netns exec xneb-r "$X0T_BIN" bench tcp --listen 10.77.1.2:9000 &
pids+=($!)
reached=0
for _ in $(seq 60); do
  if ip netns exec xneb-a timeout 2 bash -c '</dev/tcp/192.168.77.3/9000' 2>/dev/null; then
    reached=1
    break
  fi
  sleep 0.5
done
[ "$reached" = 1 ] || { echo "a never reached b through the relay:" >&2; cat "$dir"/*.log >&2; exit 1; }

echo "== Nebula 1.6.1, a > r (relay) > b, overlay TCP"
ip netns exec xneb-a "$X0T_BIN" bench tcp --connect 192.168.77.3:9000 --rates "$RATES" --duration "${SECONDS_PER_LEVEL}s"
echo "== plain TCP, a > r over the veth link"
ip netns exec xneb-a "$X0T_BIN" bench tcp --connect 10.77.1.2:9000 --rates "$RATES" --duration "${SECONDS_PER_LEVEL}s"
echo "== x0t, n1 > r1 (relay) > n3, durable inbox"
"$X0T_BIN" bench mesh --rates "$RATES" --duration "${SECONDS_PER_LEVEL}s"
