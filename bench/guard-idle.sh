#!/usr/bin/env bash
# Idle cost of `bwdoctor guard`: CPU share of one core and resident memory while the link is healthy (no incident,
# no capture), measured from /proc/PID/stat and /proc/PID/status over a window after a warm-up. Run as root.
#   sudo bench/guard-idle.sh [SECONDS (default 60)] [IFACE (default: the default route's)]
# CPU includes the children it runs (nft reads the kernel counters once a second). Targets (tracker issue 5): under 1 % of one core and under 150 MB resident.
set -euo pipefail
cd "$(dirname "$0")/.."
window=${1:-60}
iface=${2:-$(awk 'NR>1 && $2=="00000000" {print $1; exit}' /proc/net/route)}
db=$(mktemp -d)/guard.db
./bwdoctor --version >/dev/null   # builds the jar if needed, outside the measurement
./bwdoctor guard --cap 100Mbps -i "$iface" --db "$db" --no-syslog --seconds $((window + 20)) 2>"$db.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$(dirname "$db")"' EXIT
sleep 15                           # JVM start, JIT warm-up, first samples
java_pid=$(pgrep -P $pid java || echo $pid)
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$java_pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); s0=$(date +%s.%N)
max_rss=0
for _ in $(seq "$window"); do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
    [ "$rss" -gt "$max_rss" ] && max_rss=$rss
    sleep 1
done
t1=$(ticks); s1=$(date +%s.%N)
cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s0="$s0" -v s1="$s1" 'BEGIN {printf "%.2f", (b - a) / hz * 100 / (s1 - s0)}')
echo "guard idle on $iface over ${window} s: CPU ${cpu} % of one core, max RSS $((max_rss / 1024)) MB"
echo "targets: CPU < 1 %, RSS < 150 MB   (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
