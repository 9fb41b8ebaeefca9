#!/usr/bin/env bash
# Side-by-side benchmark, in one run and on the same capture file: capinfos (the floor: it only reads the file),
# nfpcapd (nfdump), argus and `bwdoctor analyze --by conversation --format json`.
# Warm page cache (one read of the file first), RUNS timed runs per tool, median of each column.
# A second capture with 1 M flows measures peak memory. See bench/README.md.
#
# Environment knobs (defaults in brackets):
#   RUNS [3]  BIG_RUNS [1]  PACKETS [3000000]  FLOWS [50000]  BIG_PACKETS [2500000]  BIG_FLOWS [1000000]
#   SNAPLEN [128]  SEED [1]  BIG [1] (0 skips the 1 M-flow capture)  TOOLS ["capinfos nfpcapd argus bwdoctor"]
#   JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64]  BWDOCTOR_JAVA_OPTS [the launcher's default]
set -uo pipefail

bench="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$bench")"
out="$bench/out"
RUNS="${RUNS:-3}"
BIG_RUNS="${BIG_RUNS:-1}"
PACKETS="${PACKETS:-3000000}"
FLOWS="${FLOWS:-50000}"
BIG_PACKETS="${BIG_PACKETS:-2500000}"
BIG_FLOWS="${BIG_FLOWS:-1000000}"
SNAPLEN="${SNAPLEN:-128}"
SEED="${SEED:-1}"
BIG="${BIG:-1}"
TOOLS="${TOOLS:-capinfos nfpcapd argus bwdoctor}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
jar="$root/target/bwdoctor.jar"

say() { printf '%s\n' "$*" >&2; }
die() { say "analyze.sh: $*"; exit 2; }

# ---- 1. tools -------------------------------------------------------------------------------------------------
declare -A package=([capinfos]=wireshark-common [nfpcapd]=nfdump [nfdump]=nfdump [argus]=argus-server
                    [racount]=argus-client [python3]=python3)
missing=() packages=()
for t in capinfos nfpcapd nfdump argus racount python3; do
    if ! command -v "$t" >/dev/null; then
        missing+=("$t"); packages+=("${package[$t]}")
    fi
done
[ -x /usr/bin/time ] || { missing+=(/usr/bin/time); packages+=(time); }
if [ ${#missing[@]} -gt 0 ]; then
    say "missing tools: ${missing[*]}"
    say "install them with:  apt-get install -y $(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ')"
fi
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed to measure; see the apt-get line above"
command -v python3 >/dev/null || die "python3 is needed to generate the capture; see the apt-get line above"
have() { command -v "$1" >/dev/null; }

# ---- 2. captures (generated once, then cached) ------------------------------------------------------------------
capture() {   # packets flows -> path of the pcap (generated if absent)
    local f="$out/capture-$1p-$2f-s$SNAPLEN-seed$SEED.pcap"
    if [ ! -s "$f" ] || [ ! -s "$f.truth.json" ]; then
        say "generating $f (once; cached afterwards) ..."
        python3 "$bench/gen-capture.py" --packets "$1" --flows "$2" --snaplen "$SNAPLEN" --seed "$SEED" \
            --out "$f" || die "capture generation failed"
    fi
    printf '%s\n' "$f"
}
truth() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1.truth.json" "$2"; }

# ---- 3. bwdoctor build --------------------------------------------------------------------------------------------
java_opts="${BWDOCTOR_JAVA_OPTS:-$(sed -n 's/.*BWDOCTOR_JAVA_OPTS:-\([^}]*\)}.*/\1/p' "$root/bwdoctor" | head -1)}"
bwdoctor_ready=0
if [[ " $TOOLS " == *" bwdoctor "* ]]; then
    mkdir -p "$out"
    say "building bwdoctor if needed ..."
    if (cd "$root" && ./bwdoctor --version >/dev/null 2>"$out/build.log") && [ -f "$jar" ]; then
        bwdoctor_ready=1
    else
        say "bwdoctor: build failed, see ${out#"$root"/}/build.log"
    fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bwbench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"   # capture tool run wall user sys maxrss_kb peak_anon_kb
checks="$work/checks.tsv"     # capture tool verdict text
: >"$results"; : >"$checks"

# Sets the array `cmd` for one run of tool $1 on file $2 and clears that tool's previous output (not timed).
prepare() {
    case "$1" in
        capinfos) cmd=(capinfos "$2") ;;
        nfpcapd)  rm -rf "$work/nf"; mkdir -p "$work/nf"; cmd=(nfpcapd -r "$2" -w "$work/nf") ;;
        argus)    rm -f "$work/argus.out"; cmd=(argus -r "$2" -w "$work/argus.out") ;;
        bwdoctor) # shellcheck disable=SC2206  # java_opts is a list of words, like in the launcher
                  cmd=("$JAVA_HOME/bin/java" $java_opts --enable-native-access=ALL-UNNAMED -jar "$jar"
                       analyze --by conversation --format json "$2") ;;
    esac
}

check() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$checks"; }

# Compares what a tool reports with the generator's ground truth, from the output of its last run.
verify() {   # label tool file
    local label=$1 tool=$2 f=$3 p b
    p=$(truth "$f" packets); b=$(truth "$f" bytes)
    case "$tool" in
        capinfos)
            local n; n=$(capinfos -M -c "$f" | sed -n 's/^Number of packets: *//p')
            check "$label" capinfos "packets $n $([ "$n" = "$p" ] && echo ok || echo MISMATCH)" ;;
        nfpcapd)
            local info n flows ipb
            info=$(nfdump -R "$work/nf" -I 2>/dev/null)
            n=$(sed -n 's/^Packets: //p' <<<"$info"); flows=$(sed -n 's/^Flows: //p' <<<"$info")
            ipb=$((b - 14 * p))   # nfdump counts IP bytes: wire bytes minus the Ethernet header
            if [ -z "$n" ]; then check "$label" nfpcapd "FAIL: no flow records written"
            else check "$label" nfpcapd "$flows uniflows, packets $([ "$n" = "$p" ] && echo ok || echo "MISMATCH $n"), IP bytes $([ "$(sed -n 's/^Bytes: //p' <<<"$info")" = "$ipb" ] && echo ok || echo MISMATCH)"; fi ;;
        argus)
            if have racount; then
                local row; row=$(racount -r "$work/argus.out" 2>/dev/null | awk '$1=="sum"{print $2, $3, $6}')
                read -r recs n bytes <<<"$row"
                check "$label" argus "${recs:-0} records, packets $([ "${n:-}" = "$p" ] && echo ok || echo "MISMATCH ${n:-none}"), bytes $([ "${bytes:-}" = "$b" ] && echo ok || echo MISMATCH)"
            else
                check "$label" argus "output $(stat -c %s "$work/argus.out") bytes (install argus-client to check totals)"
            fi ;;
    esac
}

# bwdoctor: one untimed run whose JSON is checked against the ground truth; PASS/FAIL.
verify_bwdoctor() {   # label file -> returns 1 if analyze is not available
    local label=$1 f=$2
    prepare bwdoctor "$f"
    if ! "${cmd[@]}" >"$work/bw.json" 2>"$work/bw.err"; then
        say "bwdoctor analyze not available yet (or failed): $(head -c 300 "$work/bw.err" | head -3)"
        check "$label" bwdoctor "not available yet: $(head -1 "$work/bw.err" | cut -c1-80)"
        return 1
    fi
    check "$label" bwdoctor "$(python3 - "$work/bw.json" "$f.truth.json" <<'EOF'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except ValueError as e:
    print('FAIL: output is not JSON (%s)' % e); sys.exit()
truth = json.load(open(sys.argv[2]))
# the totals: the shallowest object holding both "packets" and "bytes" numbers
level, found, where = [(doc, '$')], None, None
while level and found is None:
    nxt = []
    for node, path in level:
        if isinstance(node, dict):
            if isinstance(node.get('packets'), int) and isinstance(node.get('bytes'), int):
                found, where = node, path
                break
            nxt += [(v, path + '.' + k) for k, v in node.items()]
        elif isinstance(node, list):
            nxt += [(v, path + '[%d]' % i) for i, v in enumerate(node[:1])]
    level = nxt
if found is None:
    print('FAIL: no "packets"/"bytes" totals in the JSON'); sys.exit()
ok = found['packets'] == truth['packets'] and found['bytes'] == truth['bytes']
rows = doc.get('rows_total') if isinstance(doc, dict) else None
rows_text = '' if rows is None else ('; rows_total %d %s %d flows' % (rows, '=' if rows == truth['flows'] else '!=',
                                                                        truth['flows']))
print('%s: %spackets %d bytes %d (truth %d / %d)%s' % ('PASS' if ok else 'FAIL', '' if where == '$' else where + ' ', found['packets'],
      found['bytes'], truth['packets'], truth['bytes'], rows_text))
EOF
)"
}

# Runs `cmd` under GNU time; meanwhile samples the tool's anonymous resident memory (RssAnon: heap, buffers —
# not the pages of a memory-mapped capture file, which max RSS includes) every 0.1 s into peak_anon (kB).
timed_run() {
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "${cmd[@]}" >/dev/null 2>"$work/stderr" &
    local tpid=$! child="" k v rest
    peak_anon=0
    while kill -0 "$tpid" 2>/dev/null; do
        [ -n "$child" ] || read -r child rest <"/proc/$tpid/task/$tpid/children" 2>/dev/null
        if [ -n "$child" ] && [ -r "/proc/$child/status" ]; then
            while read -r k v rest; do
                [ "$k" = RssAnon: ] && [ "$v" -gt "$peak_anon" ] && peak_anon=$v
            done <"/proc/$child/status" 2>/dev/null
        fi
        sleep 0.1
    done
    wait "$tpid"
}

# Times RUNS runs of each tool on file $2 after warming the page cache.
bench_capture() {   # label file runs
    local label=$1 f=$2 runs=$3 tool i
    for tool in $TOOLS; do
        case "$tool" in
            bwdoctor) [ "$bwdoctor_ready" = 1 ] || { check "$label" bwdoctor "not built"; continue; }
                      verify_bwdoctor "$label" "$f" || continue ;;
            *) have "$tool" || { check "$label" "$tool" "not installed (apt-get install -y ${package[$tool]})"; continue; } ;;
        esac
        cat "$f" >/dev/null   # warm-up read
        for i in $(seq "$runs"); do
            prepare "$tool" "$f"
            say "  $label: $tool run $i/$runs"
            if timed_run; then
                printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$tool" "$i" "$(tail -1 "$work/time" | tr ' ' '\t')" \
                    "$peak_anon" >>"$results"
            else
                check "$label" "$tool" "FAILED: $(tail -2 "$work/stderr" | tr '\n' ' ' | cut -c1-120)"
                continue 2
            fi
        done
        [ "$tool" = bwdoctor ] || verify "$label" "$tool" "$f"
    done
}

mkdir -p "$out"
main_file="$(capture "$PACKETS" "$FLOWS")" || exit 2
big_file=""
[ "$BIG" = 1 ] && { big_file="$(capture "$BIG_PACKETS" "$BIG_FLOWS")" || exit 2; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)
say "timing on $main_file ($RUNS runs per tool)"
bench_capture main "$main_file" "$RUNS"
if [ -n "$big_file" ]; then
    say "timing on $big_file ($BIG_RUNS run(s) per tool)"
    bench_capture 1M "$big_file" "$BIG_RUNS"
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 4. report -------------------------------------------------------------------------------------------------------
report="$out/report-$(date -u +%Y%m%dT%H%M%SZ).txt"
python3 - "$results" "$checks" "$main_file" "$big_file" "$load_before" "$load_after" "$(($(date +%s) - started))" \
    "$java_opts" "$RUNS" "$BIG_RUNS" <<'EOF' | tee "$report"
import json, os, platform, statistics, sys, time
res_f, chk_f, main_f, big_f, load0, load1, secs, jopts, runs, big_runs = sys.argv[1:11]
rows = {}
for line in open(res_f):
    label, tool, run, wall, user, sys_, rss, anon = line.split('\t')
    rows.setdefault((label, tool), []).append((float(wall), float(user) + float(sys_), int(rss) / 1024,
                                               int(anon) / 1024))
checks = {}
for line in open(chk_f):
    label, tool, text = line.rstrip('\n').split('\t', 2)
    checks[(label, tool)] = text
med = {k: tuple(statistics.median(r[i] for r in v) for i in range(4)) for k, v in rows.items()}
tools = ['capinfos', 'nfpcapd', 'argus', 'bwdoctor']

def describe(f):
    t = json.load(open(f + '.truth.json'))
    return ('%s: %s packets, %s wire bytes, %d MB on disk, %s flows (%.0f %% of bytes in the top 1 %% of flows)'
            % (os.path.relpath(f), format(t['packets'], ','), format(t['bytes'], ','), os.path.getsize(f) // 10**6,
               format(t['flows'], ','), 100 * t['top_1pct_flows_byte_share']))

def table(label, f, n):
    print('\n## %s capture — %s (median of %s run%s)\n' % (label, describe(f), n, '' if n == '1' else 's'))
    print('| tool | wall s | cpu s (user+sys) | max RSS MB | peak anon MB | check |')
    print('| --- | ---: | ---: | ---: | ---: | --- |')
    for t in tools:
        m = med.get((label, t))
        c = checks.get((label, t), '')
        if m:
            print('| %s | %.2f | %.2f | %.1f | %.1f | %s |' % (t, m[0], m[1], m[2], m[3], c))
        else:
            print('| %s | – | – | – | – | %s |' % (t, c or 'not run'))

def ratio(a, b, i=0):
    return med[a][i] / med[b][i] if a in med and b in med and med[b][i] > 0 else None

def verdict(ok):
    return 'n/a' if ok is None else 'PASS' if ok else 'FAIL'

print('# bwdoctor benchmark, %s' % time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))
print('machine: %s, %d cores, %s; load average %s before, %s after; %s s of timing'
      % (platform.node() or 'unknown', os.cpu_count(), platform.platform(), load0, load1, secs))
print('bwdoctor JVM options: %s --enable-native-access=ALL-UNNAMED' % jopts)
table('main', main_f, runs)
if big_f:
    table('1M', big_f, big_runs)
rn, rc = ratio(('main', 'bwdoctor'), ('main', 'nfpcapd')), ratio(('main', 'bwdoctor'), ('main', 'capinfos'))
rnc, rcc = ratio(('main', 'bwdoctor'), ('main', 'nfpcapd'), 1), ratio(('main', 'bwdoctor'), ('main', 'capinfos'), 1)
fmt = lambda x: '–' if x is None else '%.2f' % x
print('\nratios (main capture): bwdoctor/nfpcapd wall %s (cpu %s); bwdoctor/capinfos wall %s (cpu %s)'
      % (fmt(rn), fmt(rnc), fmt(rc), fmt(rcc)))
rss1m, anon1m = med.get(('1M', 'bwdoctor'), (None,) * 4)[2:]
print('\ntargets:')
print('- faster than nfpcapd (wall):           %s' % verdict(None if rn is None else rn < 1))
print('- within 1.5x capinfos (wall):          %s' % verdict(None if rc is None else rc <= 1.5))
print('- peak RSS under 300 MB at 1 M flows:   %s%s' % (verdict(None if rss1m is None else rss1m < 300),
      '' if rss1m is None else ' (max RSS %.1f MB, of which anonymous %.1f MB; the rest is the JVM's code, libraries and page tables)'
      % (rss1m, anon1m)))
for label in ('main', '1M'):
    c = checks.get((label, 'bwdoctor'))
    if c:
        print('- totals equal ground truth (%s):%s %s' % (label, ' ' * (10 - len(label)),
              'PASS' if c.startswith('PASS') else 'FAIL' if c.startswith('FAIL') else 'n/a (%s)' % c))
EOF
say "report written to ${report#"$root"/}"
