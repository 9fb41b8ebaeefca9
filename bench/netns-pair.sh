# Sourced by the live benchmarks: two network namespaces of their own, A and B, joined by one veth, with
# 198.51.100.1-2/30 and 2001:db8::1-2/64, static neighbours and no link-local addresses (no ARP/NDP/MLD noise).
# Everything started in the background goes into `started` and is killed, and the namespaces deleted, on exit.
# Usage: netns_pair PREFIX WORKNAME  (sets A B DA DB A4 B4 A6 B6 work started; needs say and die).

netns_pair() {
    local prefix=$1 id=$$
    A="$prefix-$id-a" B="$prefix-$id-b" DA="$prefix${id}a" DB="$prefix${id}b"
    A4=198.51.100.1 B4=198.51.100.2 A6=2001:db8::1 B6=2001:db8::2
    work="$(mktemp -d "/tmp/bwbench-$2.XXXXXX")"
    started=()
    trap netns_cleanup EXIT
    trap 'exit 130' INT TERM
    ip netns add "$A" && ip netns add "$B" || die "cannot create network namespaces"
    ip link add "$DA" netns "$A" type veth peer name "$DB" netns "$B" || die "cannot create the veth pair"
    local macA=02:00:5e:10:00:01 macB=02:00:5e:10:00:02 side
    for side in "$A $DA $A4 $A6 $macA $B4 $B6 $macB" "$B $DB $B4 $B6 $macB $A4 $A6 $macA"; do
        set -- $side
        ip -n "$1" link set lo up
        ip -n "$1" link set "$2" address "$5" addrgenmode none
        ip -n "$1" addr add "$3/30" dev "$2"
        ip -n "$1" -6 addr add "$4/64" dev "$2" nodad
        ip -n "$1" link set "$2" up
        ip -n "$1" neigh replace "$6" lladdr "$8" dev "$2" nud permanent
        ip -n "$1" -6 neigh replace "$7" lladdr "$8" dev "$2" nud permanent
    done
}

netns_cleanup() {
    local p
    for p in "${started[@]}"; do kill "$p" 2>/dev/null; done
    sleep 0.3
    for p in "${started[@]}"; do kill -9 "$p" 2>/dev/null; done
    ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null
    [ "${KEEP:-0}" = 1 ] && say "work directory kept: $work" || rm -rf "$work"
}
