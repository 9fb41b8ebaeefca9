#!/usr/bin/env bash
# Egress protection benchmark: round-trip times of small request/response exchanges on port 22 while the server's
# uplink is saturated by a bulk upload, behind a downstream cap (a provider's shaper), without and with
# `bwdoctor protect`. Three network namespaces of its own, 198.51.100.0/24 only, deleted on exit:
#
#   server S (echo on :22, uploads) ── veth ── provider R (tbf CAP, QUEUE of queue) ── veth ── admin C (client, sink)
#
# Rows: unloaded; loaded without protection; loaded with `protect` but no --cap (the queue stays in R: no help);
# loaded with `protect --cap CAP` (S shapes to 95 % of CAP, the queue moves to S, port 22 leaves first).
# Needs root, python3, iproute2. Knobs: CAP [10mbit], QUEUE [100ms], BURST [15k], COUNT [300] exchanges,
# GAP [5] ms between them, KEEP=1 keeps the work directory.
set -uo pipefail

bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
CAP="${CAP:-10mbit}" QUEUE="${QUEUE:-100ms}" BURST="${BURST:-15k}" COUNT="${COUNT:-300}" GAP="${GAP:-5}"
say() { printf '%s\n' "$*" >&2; }
die() { say "protect.sh: $*"; exit 2; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, tc)"
for t in python3 ip tc; do command -v "$t" >/dev/null || die "$t is missing"; done
"$root/bwdoctor" --version >/dev/null || die "bwdoctor does not build (run ./bwdoctor --version)"

id=$$ S="bwpb-$$-s" R="bwpb-$$-r" C="bwpb-$$-c" DS="bwpb$$s" DRS="bwpb$$rs" DRC="bwpb$$rc" DC="bwpb$$c"
work="$(mktemp -d /tmp/bwbench-protect.XXXXXX)"
started=()
cleanup() {
    local p
    for p in "${started[@]}"; do kill "$p" 2>/dev/null; done
    sleep 0.5
    for p in "${started[@]}"; do kill -9 "$p" 2>/dev/null; done
    ip netns del "$S" 2>/dev/null; ip netns del "$R" 2>/dev/null; ip netns del "$C" 2>/dev/null
    [ "${KEEP:-0}" = 1 ] && say "work directory kept: $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in "$S" "$R" "$C"; do ip netns add "$n" && ip -n "$n" link set lo up || die "cannot create namespace $n"; done
ip link add "$DS" netns "$S" type veth peer name "$DRS" netns "$R" || die "cannot create veth"
ip link add "$DRC" netns "$R" type veth peer name "$DC" netns "$C" || die "cannot create veth"
ip -n "$S" addr add 198.51.100.1/30 dev "$DS"; ip -n "$R" addr add 198.51.100.2/30 dev "$DRS"
ip -n "$R" addr add 198.51.100.5/30 dev "$DRC"; ip -n "$C" addr add 198.51.100.6/30 dev "$DC"
for x in "$S $DS" "$R $DRS" "$R $DRC" "$C $DC"; do set -- $x; ip -n "$1" link set dev "$2" up; done
ip -n "$S" route add 198.51.100.4/30 via 198.51.100.2
ip -n "$C" route add 198.51.100.0/30 via 198.51.100.5
ip netns exec "$R" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
tc -n "$R" qdisc add dev "$DRC" root tbf rate "$CAP" burst "$BURST" latency "$QUEUE" || die "cannot add the cap"

cat > "$work/t.py" <<'PY'
import socket, sys, time, threading
mode = sys.argv[1]
def serve(host, port, seconds, handle):
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port)); srv.listen(8); srv.settimeout(1); end = time.time() + seconds
    print("listening", flush=True)
    while time.time() < end:
        try: c, _ = srv.accept()
        except socket.timeout: continue
        threading.Thread(target=handle, args=(c,), daemon=True).start()
def echo(c):
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with c:
        while (d := c.recv(4096)): c.sendall(d)
def drain(c):
    with c:
        while c.recv(1 << 16): pass
if mode == "echo": serve(sys.argv[2], 22, float(sys.argv[3]), echo)
elif mode == "sink": serve(sys.argv[2], 5001, float(sys.argv[3]), drain)
elif mode == "bulk":     # HOST SECONDS: uploads as fast as TCP allows
    s = socket.create_connection((sys.argv[2], 5001), timeout=5); buf = bytes(1 << 16); end = time.time() + float(sys.argv[3])
    while time.time() < end: s.sendall(buf)
elif mode == "rtt":      # HOST COUNT GAP_MS: prints p50 p99 in ms
    host, count, gap = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]) / 1000
    s = socket.create_connection((host, 22), timeout=5); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.settimeout(5); msg = b"x" * 64; rtts = []
    for _ in range(30):  # warm-up
        s.sendall(msg); s.recv(64)
    for _ in range(count):
        t0 = time.perf_counter(); s.sendall(msg); got = 0
        while got < 64:
            d = s.recv(64 - got)
            if not d: sys.exit("connection closed")
            got += len(d)
        rtts.append((time.perf_counter() - t0) * 1000); time.sleep(gap)
    rtts.sort()
    print(f"{rtts[len(rtts) // 2]:.3f} {rtts[-(-len(rtts) * 99 // 100) - 1]:.3f}")
PY

# The echo server and the probe run in SCHED_FIFO where chrt exists (root may): they should measure the network's
# queue, not the wait for a CPU on a busy machine. The upload stays an ordinary process.
rt=(); command -v chrt >/dev/null && chrt -f 10 true 2>/dev/null && rt=(chrt -f 10)
bg() { local ns=$1; shift; ip netns exec "$ns" "$@" & started+=("$!"); }
bg "$S" "${rt[@]}" python3 "$work/t.py" echo 198.51.100.1 600 > "$work/echo.out"
bg "$C" python3 "$work/t.py" sink 198.51.100.6 600 > "$work/sink.out"
for _ in $(seq 50); do grep -q listening "$work/echo.out" && grep -q listening "$work/sink.out" && break; sleep 0.1; done
txbytes() { ip netns exec "$S" cat "/sys/class/net/$DS/statistics/tx_bytes"; }

# measure NAME LOADED: COUNT exchanges (under a bulk upload if LOADED=1); appends "NAME p50 p99 Mbit/s" to rows
measure() {
    local name=$1 loaded=$2 bulk="" t0 b0 res mbps
    if [ "$loaded" = 1 ]; then
        ip netns exec "$S" timeout 120 python3 "$work/t.py" bulk 198.51.100.6 110 & bulk=$!; started+=("$bulk")
        sleep 2   # TCP reaches the cap and the queue builds
    fi
    t0=$(date +%s.%N); b0=$(txbytes)
    res="$(ip netns exec "$C" timeout 120 "${rt[@]}" python3 "$work/t.py" rtt 198.51.100.1 "$COUNT" "$GAP")" || die "probe failed"
    mbps=$(python3 -c "print(f'{($(txbytes) - $b0) * 8 / ($(date +%s.%N) - $t0) / 1e6:.2f}')")
    [ -n "$bulk" ] && { kill "$bulk" 2>/dev/null; wait "$bulk" 2>/dev/null; sleep 1; }
    rows+=("$name $res $mbps")
    say "  $name: p50/p99 $res ms, S egress $mbps Mbit/s"
}

# with_protect NAME ARGS...: runs `bwdoctor protect ARGS` in the background around one loaded measurement
with_protect() {
    local name=$1 pid; shift
    "$root/bwdoctor" protect --netns "$S" --iface "$DS" --state-dir "$work/state" "$@" > "$work/protect.out" 2>&1 &
    pid=$!; started+=("$pid")
    for _ in $(seq 300); do grep -q "press Ctrl-C" "$work/protect.out" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    grep -q "press Ctrl-C" "$work/protect.out" || { cat "$work/protect.out" >&2; die "bwdoctor protect did not start"; }
    measure "$name" 1
    kill -TERM "$pid"; wait "$pid" 2>/dev/null
    grep -q "priority scheme removed" "$work/protect.out" || { cat "$work/protect.out" >&2; die "protect did not undo"; }
    tc -n "$S" qdisc show dev "$DS" | grep -q "noqueue" || die "the interface was not put back"
}

say "protect.sh: cap $CAP (queue $QUEUE, burst $BURST) in R; $COUNT exchanges of 64 bytes on port 22, $GAP ms apart${rt:+, SCHED_FIFO}"
rows=()
measure unloaded 0
measure loaded-unprotected 1
with_protect loaded-protect-no-cap
with_protect loaded-protect-cap --cap "$CAP"

python3 - "${rows[@]}" <<'PY'
import sys
rows = [r.split() for r in sys.argv[1:]]
base50, base99 = float(rows[0][1]), float(rows[0][2])
print(f"{'scenario':<24} {'p50 ms':>8} {'p99 ms':>8} {'p50/unl':>8} {'p99/unl':>8} {'S egress Mbit/s':>16}")
for name, p50, p99, mbps in rows:
    print(f"{name:<24} {float(p50):8.2f} {float(p99):8.2f} {float(p50)/base50:8.1f} {float(p99)/base99:8.1f} {mbps:>16}")
PY
