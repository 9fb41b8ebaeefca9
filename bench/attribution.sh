#!/usr/bin/env bash
# Live attribution benchmark: `bwdoctor top --raw` and `nethogs -t` side by side, in namespace A, on the same bounded
# traffic between two network namespaces of their own (veth, 198.51.100.0/30 and 2001:db8::/64 only). For each
# scenario: the share of the scenario's wire bytes (the veth's kernel counters in A) that each tool attributes to the
# right process ids (the generators print their pid, and tcp-short its children's). See bench/README.md.
#
# Needs root, python3, nethogs (Debian package). Knobs: QUICK=1 (4 scenarios), KEEP=1 (keep the work directory),
# SCENARIOS="tcp-up udp-both ..." (a subset), JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64],
# BWDOCTOR_JAVA_OPTS [-XX:+UseSerialGC].
set -uo pipefail

bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
traffic="$root/src/test/resources/io/bwdoctor/engine/traffic.py"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar="$root/target/bwdoctor.jar"
QUICK="${QUICK:-0}"
say() { printf '%s\n' "$*" >&2; }
die() { say "attribution.sh: $*"; exit 2; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, packet capture)"
for t in python3 nethogs ip; do command -v "$t" >/dev/null || die "$t is missing (apt-get install -y ${t/ip/iproute2})"; done
"$root/bwdoctor" --version >/dev/null || die "bwdoctor does not build (run ./bwdoctor --version)"

source "$bench/netns-pair.sh"
netns_pair bwb attr

bg() {   # NS CMD... : start in the background inside NS (ip netns exec execs, so $! is the command's pid)
    local ns=$1; shift
    ip netns exec "$ns" "$@" &
    started+=("$!")
}
py() { local ns=$1; shift; ip netns exec "$ns" timeout 120 python3 "$traffic" "$@"; }   # foreground generator
stop() { local p; for p in "$@"; do kill "$p" 2>/dev/null; done; for p in "$@"; do wait "$p" 2>/dev/null; done; }
counters() { ip netns exec "$A" cat "/sys/class/net/$DA/statistics/tx_bytes" "/sys/class/net/$DA/statistics/rx_bytes" | paste -sd' '; }

# Extra generators that traffic.py lacks: UDP rounds to 1,000 ports, and a holder of the 1,000 sockets.
cat > "$work/extra.py" <<'EOF'
import json, os, socket, sys, time
mode = sys.argv[1]
if mode == "udp-ports-hold":          # bind PORT0..PORT0+N-1 and hold them for SECONDS (unread: no ICMP unreachable)
    port0, n, seconds = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    socks = []
    for p in range(port0, port0 + n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", p)); socks.append(s)
    print("ready", flush=True)
    time.sleep(seconds)
elif mode == "udp-ports-send":        # ROUNDS datagrams of SIZE bytes to each of N ports, one unconnected socket
    dst, port0, n, rounds, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); payload = bytes(size)
    for r in range(rounds):
        for p in range(port0, port0 + n):
            s.sendto(payload, (dst, p))
        time.sleep(0.05)
    print(json.dumps({"pid": os.getpid(), "sent": rounds * n}), flush=True)
EOF
extra() { local ns=$1; shift; ip netns exec "$ns" timeout 120 python3 "$work/extra.py" "$@"; }

# ---- scenarios: each runs its traffic in the foreground and writes the right pids' JSON lines to $1 ---------------
SHORT_N=$([ "$QUICK" = 1 ] && echo 100 || echo 300)
FLOOD_N=$([ "$QUICK" = 1 ] && echo 20000 || echo 50000)
s_tcp_up()    { bg "$B" python3 "$traffic" tcp-sink 9002 60; sleep 0.5; py "$A" tcp-send "$B4" 9002 20000000 > "$1"; }
s_tcp_down()  { bg "$B" python3 "$traffic" tcp-source 9003 60 20000000; sleep 0.5; py "$A" tcp-recv "$B4" 9003 > "$1"; }
s_tcp_both()  {
    bg "$B" python3 "$traffic" tcp-sink 9002 60; bg "$B" python3 "$traffic" tcp-source 9003 60 20000000; sleep 0.5
    py "$A" tcp-send "$B4" 9002 20000000 > "$1.1" & local up=$!
    py "$A" tcp-recv "$B4" 9003 > "$1.2"; wait "$up"; cat "$1.1" "$1.2" > "$1"
}
s_udp_both()  {
    bg "$B" python3 "$traffic" udp-sink 9001 60; bg "$A" python3 "$traffic" udp-sink 9001 60; local sink=$!; sleep 0.5
    py "$A" udp-send "$B4" 9001 5000 1000 > "$1.1" & local up=$!
    py "$B" udp-send "$A4" 9001 5000 1000 > /dev/null; wait "$up"
    { cat "$1.1"; echo "{\"pid\": $sink}"; } > "$1"
}
s_ipv6_tcp()  {
    bg "$B" python3 "$traffic" tcp-sink 9002 60; bg "$B" python3 "$traffic" tcp-source 9003 60 10000000; sleep 0.5
    { py "$A" tcp-send "$B6" 9002 10000000; py "$A" tcp-recv "$B6" 9003; } > "$1"
}
s_ipv6_udp()  { bg "$B" python3 "$traffic" udp-sink 9001 60; sleep 0.5; py "$A" udp-send "$B6" 9001 5000 1200 > "$1"; }
s_tcp_short() { bg "$B" python3 "$traffic" tcp-sink 9002 90; sleep 0.5; py "$A" tcp-short "$B4" 9002 "$SHORT_N" 20000 > "$1"; }
s_udp_ports() {
    ip netns exec "$B" bash -c "ulimit -n 4096; exec python3 '$work/extra.py' udp-ports-hold 20000 1000 60" > "$work/hold" &
    started+=("$!"); local i; for i in $(seq 50); do grep -q ready "$work/hold" 2>/dev/null && break; sleep 0.1; done
    extra "$A" udp-ports-send "$B4" 20000 1000 5 200 > "$1"
}
s_icmp()      {
    if command -v ping >/dev/null; then
        ip netns exec "$A" ping -q -s 1000 -c 200 -i 0.01 "$B4" > /dev/null & local p=$!
        echo "{\"pid\": $p}" > "$1"; wait "$p"
    else   # no iputils-ping here: the same echo traffic from a raw ICMP socket in Python
        py "$A" icmp-echo "$B4" 200 1000 > "$1"
    fi
}
s_inbound()   {
    bg "$A" python3 "$traffic" tcp-sink 9005 60; local srv=$!; sleep 0.5
    local i; for i in 1 2 3 4 5; do py "$B" tcp-send "$A4" 9005 4000000 > /dev/null; done
    echo "{\"pid\": $srv}" > "$1"
}
s_small_flood() { bg "$B" python3 "$traffic" udp-sink 9001 60; sleep 0.5; py "$A" udp-send "$B4" 9001 "$FLOOD_N" 64 > "$1"; }

declare -A label=([tcp-up]="TCP upload 20 MB" [tcp-down]="TCP download 20 MB" [tcp-both]="TCP up+down at once"
    [udp-both]="UDP both ways 2x5000x1000 B" [ipv6-tcp]="IPv6 TCP up+down 10 MB" [ipv6-udp]="IPv6 UDP 5000x1200 B"
    [tcp-short]="$SHORT_N short TCP processes" [udp-ports]="UDP to 1000 ports" [icmp]="ICMP echo 200x1000 B"
    [inbound]="inbound TCP to server in A" [small-flood]="UDP flood $FLOOD_N x 64 B")
if [ -n "${SCENARIOS:-}" ]; then list=($SCENARIOS)
elif [ "$QUICK" = 1 ]; then list=(tcp-up udp-both tcp-short inbound)
else list=(tcp-up tcp-down tcp-both udp-both ipv6-tcp ipv6-udp tcp-short udp-ports icmp inbound small-flood); fi

wait_for() {   # FILE PATTERN SECONDS
    local i; for i in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1
}

say "attribution.sh: ${#list[@]} scenarios in $A (work: $work)"
t0=$(date +%s)
uptime_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for s in "${list[@]}"; do
    fn="s_${s//-/_}"; declare -F "$fn" >/dev/null || die "unknown scenario $s"
    d="$work/$s"; mkdir -p "$d"; before=("${started[@]}")
    # both tools watch A's veth from before the traffic to after it; bwdoctor stops on SIGTERM with a final object
    # (SIGINT would not do: background jobs of a script ignore it)
    $JAVA_HOME/bin/java ${BWDOCTOR_JAVA_OPTS:--XX:+UseSerialGC} --enable-native-access=ALL-UNNAMED -jar "$jar" \
        top --raw --seconds 180 --netns "$A" -i "$DA" > "$d/bwdoctor.jsonl" 2> "$d/bwdoctor.err" &
    bw=$!; started+=("$bw")
    ip netns exec "$A" nethogs -t -v 2 -d 1 -C -c 400 "$DA" > "$d/nethogs.txt" 2> "$d/nethogs.err" &
    nh=$!; started+=("$nh")
    wait_for "$d/bwdoctor.jsonl" '"ts"' 30 || say "  $s: bwdoctor printed nothing in 30 s (see $d/bwdoctor.err)"
    wait_for "$d/nethogs.txt" Refreshing 10 || say "  $s: nethogs printed nothing in 10 s (see $d/nethogs.err)"
    read -r tx0 rx0 <<< "$(counters)"
    ts=$(date +%s.%N)
    "$fn" "$d/pids.jsonl"
    te=$(date +%s.%N)
    sleep 4   # bwdoctor waits up to 3 s for a second's owner; nethogs refreshes every second
    read -r tx1 rx1 <<< "$(counters)"
    kill -TERM "$bw" "$nh" 2>/dev/null; wait "$bw"; echo "$?" > "$d/bwdoctor.rc"; wait "$nh" 2>/dev/null
    new=("${started[@]:${#before[@]}}"); stop "${new[@]}"
    printf '%s\t%s\t%s\t%s\n' "$((tx1 - tx0 + rx1 - rx0))" "$tx0 $rx0" "$ts" "$te" > "$d/wire"
    say "  $s done ($(awk -v a="$ts" -v b="$te" 'BEGIN{printf "%.1f", b - a}') s of traffic)"
done
elapsed=$(( $(date +%s) - t0 ))

LABELS="$(for k in "${!label[@]}"; do printf '%s=%s|' "$k" "${label[$k]}"; done)"
LABELS="${LABELS%|}" python3 - "$work" "${list[@]}" <<'EOF' | tee "$work/table.txt"
import json, re, sys, os
work, scenarios = sys.argv[1], sys.argv[2:]
label = dict(l.split("=", 1) for l in os.environ["LABELS"].split("|"))
print("| scenario | wire bytes (kernel) | bwdoctor iface bytes | bwdoctor % | nethogs % | nethogs seen % | notes |")
print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
for s in scenarios:
    d = os.path.join(work, s)
    wire = int(open(os.path.join(d, "wire")).read().split("\t")[0])
    pids = set()
    try:
        for line in open(os.path.join(d, "pids.jsonl")):
            if line.startswith("{"):
                o = json.loads(line)
                pids.add(int(o["pid"])); pids.update(int(c) for c in o.get("children", []))
    except FileNotFoundError:
        pass
    notes = []
    # bwdoctor: last JSON object; processes' tx+rx for the right pids
    bw_bytes, bw_iface, last = 0, 0, None
    for line in open(os.path.join(d, "bwdoctor.jsonl")):
        if line.startswith("{"):
            try:
                last = json.loads(line)
            except ValueError:
                notes.append("bwdoctor: unparsable line")
    rc = open(os.path.join(d, "bwdoctor.rc")).read().strip()
    if rc != "0":
        notes.append("bwdoctor exit %s" % rc)
    if last is None:
        notes.append("bwdoctor: no JSON")
    else:
        for p in last["processes"]:
            if p["pid"] in pids:
                bw_bytes += p["tx_bytes"] + p["rx_bytes"]
        for i in last["interfaces"]:
            bw_iface += i["tx_bytes"] + i["rx_bytes"]
            if i.get("capture_dropped"):
                notes.append("bwdoctor drops %d" % i["capture_dropped"])
        reasons = {k: v["tx_bytes"] + v["rx_bytes"] for k, v in last["unattributed"]["reasons"].items()}
        if any(reasons.values()):
            notes.append("bwdoctor unattributed " + ", ".join("%s %.1f%%" % (k, 100 * v / max(wire, 1))
                                                              for k, v in sorted(reasons.items(), key=lambda x: -x[1]) if v))
        named = sum(1 for p in last["processes"] if p["pid"] in pids)
        if len(pids) > 2:
            notes.append("bwdoctor named %d of %d pids" % (named, len(pids)))
    # nethogs: "program/pid/uid<TAB>sent<TAB>received" per refresh, cumulative bytes (-v 2): max per line name
    best = {}
    for line in open(os.path.join(d, "nethogs.txt")):
        f = line.rstrip("\n").split("\t")
        if len(f) != 3:
            continue
        try:
            best[f[0]] = max(best.get(f[0], 0.0), float(f[1]) + float(f[2]))
        except ValueError:
            continue
    nh_bytes, nh_named, unknown = 0.0, set(), 0.0
    for key, v in best.items():
        parts = key.rsplit("/", 2)
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) in pids:
            nh_bytes += v; nh_named.add(int(parts[1]))
        elif key.startswith("unknown"):
            unknown += v
    if unknown:
        notes.append("nethogs unknown %.1f%%" % (100 * unknown / max(wire, 1)))
    if len(pids) > 2:
        notes.append("nethogs named %d of %d pids" % (len(nh_named), len(pids)))
    pct = lambda x: "%.1f" % (100 * x / wire) if wire else "n/a"
    print("| %s | %s | %s | %s | %s | %s | %s |" % (label.get(s, s), format(wire, ","), format(bw_iface, ","),
          pct(bw_bytes), pct(nh_bytes), pct(sum(best.values())), "; ".join(notes)))
EOF
printf 'machine: %s cores, %s; load average %s before, %s after; %d s in all; nethogs %s\n' "$(nproc)" \
    "$(uname -r)" "$uptime_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$elapsed" \
    "$(nethogs -V 2>&1 | awk '{print $2}')" | tee -a "$work/table.txt"
mkdir -p "$bench/out" && cp "$work/table.txt" "$bench/out/attribution-$(date -u +%Y%m%dT%H%M%SZ).txt"
