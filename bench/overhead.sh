#!/usr/bin/env bash
# Live overhead benchmark: CPU and peak memory of `bwdoctor top --raw`, `nethogs -t` and `iftop -t` while iperf3
# pushes traffic between two network namespaces of their own (veth, 198.51.100.0/30 only). One tool per run, every
# run with the same iperf3 command (plus a run with no tool: the traffic the machine reaches undisturbed), so the
# tools do not compete with each other for the 2 cores. See bench/README.md.
#
# Traffic (each for SECONDS): tcp (iperf3 TCP, unlimited), udp (iperf3 UDP 1400-byte datagrams at 1 Gbit/s),
# small (iperf3 UDP 16-byte datagrams, unlimited, from STREAMS iperf3 client processes at once: aims at 1 Mpps).
# Needs root, iperf3, nethogs, iftop. Knobs: SECONDS_PER_RUN [10], STREAMS [2], TOOLS ["none bwdoctor nethogs iftop"],
# TRAFFIC ["tcp udp small"], KEEP=1, JAVA_HOME, BWDOCTOR_JAVA_OPTS [-XX:+UseSerialGC].
set -uo pipefail

bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar="$root/target/bwdoctor.jar"
SECS="${SECONDS_PER_RUN:-10}"
STREAMS="${STREAMS:-2}"
TOOLS="${TOOLS:-none bwdoctor nethogs iftop}"
TRAFFIC="${TRAFFIC:-tcp udp small}"
say() { printf '%s\n' "$*" >&2; }
die() { say "overhead.sh: $*"; exit 2; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, packet capture)"
for t in iperf3 nethogs iftop python3 ip; do command -v "$t" >/dev/null || die "$t is missing"; done
"$root/bwdoctor" --version >/dev/null || die "bwdoctor does not build (run ./bwdoctor --version)"

source "$bench/netns-pair.sh"
netns_pair bwo ovh

hz=$(getconf CLK_TCK)
cpu() { awk -v hz="$hz" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
hwm() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
counters() { ip netns exec "$A" cat /sys/class/net/"$DA"/statistics/{tx,rx}_{bytes,packets} | paste -sd' '; }
wait_for() { local i; for i in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

iperf_args() {
    case "$1" in
        tcp) echo "-t $SECS" ;;
        udp) echo "-u -l 1400 -b 1G -t $SECS" ;;
        small) echo "-u -l 16 -b 0 -t $SECS" ;;
    esac
}

results="$work/results.tsv"
uptime_before="$(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s)
for traffic in $TRAFFIC; do
    for tool in $TOOLS; do
        d="$work/$traffic-$tool"; mkdir -p "$d"; pid=""
        case "$tool" in
            none) ;;
            bwdoctor)
                $JAVA_HOME/bin/java ${BWDOCTOR_JAVA_OPTS:--XX:+UseSerialGC} --enable-native-access=ALL-UNNAMED \
                    -jar "$jar" top --raw --seconds 300 --netns "$A" -i "$DA" > "$d/out" 2> "$d/err" &
                pid=$!; started+=("$pid"); wait_for "$d/out" '"ts"' 30 ;;
            nethogs)
                ip netns exec "$A" nethogs -t -v 2 -d 1 -C "$DA" > "$d/out" 2> "$d/err" &
                pid=$!; started+=("$pid"); wait_for "$d/out" Refreshing 10 ;;
            iftop)
                ip netns exec "$A" iftop -t -n -N -P -B -i "$DA" > "$d/out" 2> "$d/err" &
                pid=$!; started+=("$pid"); sleep 2 ;;
            *) die "unknown tool $tool" ;;
        esac
        n=1; [ "$traffic" = small ] && n=$STREAMS   # iperf3 3.12 is single-threaded: one process per stream
        servers=() clients=()
        for i in $(seq 0 $((n - 1))); do
            ip netns exec "$B" timeout $((SECS + 30)) iperf3 -s -1 -p $((5201 + i)) > /dev/null 2>&1 &
            servers+=("$!"); started+=("$!")
        done
        sleep 0.5
        [ -n "$pid" ] && c0=$(cpu "$pid") || c0=0
        read -r txb0 txp0 rxb0 rxp0 <<< "$(counters)"
        for i in $(seq 0 $((n - 1))); do
            ip netns exec "$A" timeout $((SECS + 30)) iperf3 -c "$B4" -p $((5201 + i)) $(iperf_args "$traffic") \
                > "$d/iperf.$i" 2>&1 &
            clients+=("$!")
        done
        for i in "${!clients[@]}"; do
            wait "${clients[$i]}" || say "  $traffic/$tool: iperf3 failed: $(tail -2 "$d/iperf.$i")"
        done
        read -r txb1 txp1 rxb1 rxp1 <<< "$(counters)"
        for i in "${servers[@]}"; do wait "$i" 2>/dev/null; done
        if [ -n "$pid" ]; then
            c1=$(cpu "$pid"); sleep 2; total=$(cpu "$pid"); rss=$(hwm "$pid")
            kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        else c1=0; total=0; rss=0; fi
        drops=""
        if [ "$tool" = bwdoctor ]; then
            drops=$(tail -1 "$d/out" | python3 -c 'import json,sys
o = json.loads(sys.stdin.read()); i = o["interfaces"][0]
w = int(sys.argv[1])
print("received %d, dropped %d, interface_dropped %d; bytes seen %.1f%% of the kernel counter" % (i["capture_received"],
      i["capture_dropped"], i["interface_dropped"], 100 * (i["tx_bytes"] + i["rx_bytes"]) / max(w, 1)))' \
                "$((txb1 - txb0 + rxb1 - rxb0))" 2>&1 | tail -1)
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$traffic" "$tool" "$((txb1 - txb0 + rxb1 - rxb0))" \
            "$((txp1 - txp0 + rxp1 - rxp0))" "$(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.2f", b - a}')" "$total" \
            "$rss" "$drops" "$(cat "$d"/iperf.* | grep -E 'receiver|sender' | tail -1 | sed 's/  */ /g')" >> "$results"
        say "  $traffic / $tool done"
    done
done
elapsed=$(( $(date +%s) - t0 ))

python3 - "$results" "$SECS" <<'EOF' | tee "$work/table.txt"
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
secs = float(sys.argv[2])
print("| traffic | tool | wire MB (both ways) | packets/s (both ways) | CPU s during traffic | CPU % of one core | "
      "CPU µs per packet | CPU s incl. start-up | peak RSS MB | bwdoctor capture |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
cpu = {}
for traffic, tool, b, p, c, total, rss, drops, _ in rows:
    cpu[(traffic, tool)] = float(c)
    tool_row = tool != "none"
    print("| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s |" % (traffic, tool, int(b) / 1e6,
          format(int(int(p) / secs), ","), c if tool_row else "-", "%.0f" % (100 * float(c) / secs) if tool_row else "-",
          "%.1f" % (1e6 * float(c) / max(int(p), 1)) if tool_row else "-",
          total if tool != "none" else "-", rss if tool != "none" else "-", drops))
print()
for traffic in dict.fromkeys(r[0] for r in rows):
    b, n, i = cpu.get((traffic, "bwdoctor")), cpu.get((traffic, "nethogs")), cpu.get((traffic, "iftop"))
    parts = []
    if b is not None and n:
        parts.append("bwdoctor/nethogs CPU %.2f" % (b / n))
    if b is not None and i:
        parts.append("bwdoctor/iftop CPU %.2f" % (b / i))
    if parts:
        print("%s: %s" % (traffic, ", ".join(parts)))
EOF
printf 'packets are skbs counted by the veth in A (TCP segments are GSO super-packets of up to 64 KB)\n' | tee -a "$work/table.txt"
printf 'machine: %s cores, %s; load average %s before, %s after; %d s in all; %s s per run\n' "$(nproc)" "$(uname -r)" \
    "$uptime_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$elapsed" "$SECS" | tee -a "$work/table.txt"
mkdir -p "$bench/out" && cp "$work/table.txt" "$bench/out/overhead-$(date -u +%Y%m%dT%H%M%SZ).txt"
