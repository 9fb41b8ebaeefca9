#!/usr/bin/env python3
"""Writes IP Helper table buffers as GetExtendedTcpTable(TCP_TABLE_OWNER_PID_ALL) / GetExtendedUdpTable(UDP_TABLE_OWNER_PID)
return them on x64 Windows (little-endian DWORDs, addresses in network order, ports in network order in the low 16 bits
of a DWORD), for a Windows Server 2022 cloud VM whose process list is windows-processes.tsv; plus the expected decoding.

Independent of the Java decoder on purpose: struct.pack here, MemorySegment reads there. Rows marked "garbage" carry
junk where the documentation says a field has no meaning (a listener's remote end, the upper 16 bits of a port DWORD).
Run: python3 make-iphelper-fixtures.py   (writes tcp4.bin tcp6.bin udp4.bin udp6.bin iphelper-expected.tsv)
"""
import ipaddress
import struct

STATES = {1: "CLOSED", 2: "LISTEN", 3: "SYN_SENT", 4: "SYN_RECEIVED", 5: "ESTABLISHED", 6: "FIN_WAIT_1", 7: "FIN_WAIT_2",
          8: "CLOSE_WAIT", 9: "CLOSING", 10: "LAST_ACK", 11: "TIME_WAIT", 12: "CLOSED"}
LISTEN, ESTAB, TIME_WAIT = 2, 5, 11
VM = "192.0.2.10"
VM6 = "2001:db8:10::a"
LL = "fe80::1c2d:3e4f:5a6b:7c8d"

# (state, local, lport, remote, rport, pid, junk): junk = (remote-port high bytes, local-port high bytes) garbage
TCP4 = [
    (LISTEN, "0.0.0.0", 135, "0.0.0.0", 0, 860, None),
    (LISTEN, "0.0.0.0", 445, "0.0.0.0", 0, 4, None),
    (LISTEN, "0.0.0.0", 3389, "0.0.0.0", 0, 1108, None),
    (LISTEN, "0.0.0.0", 5985, "0.0.0.0", 0, 4, None),
    (LISTEN, "0.0.0.0", 47001, "0.0.0.0", 0, 4, None),
    (LISTEN, "0.0.0.0", 49664, "0.0.0.0", 0, 672, None),
    (LISTEN, "0.0.0.0", 49665, "0.0.0.0", 0, 512, None),
    (LISTEN, "0.0.0.0", 49666, "0.0.0.0", 0, 1230, None),
    (LISTEN, "0.0.0.0", 49668, "0.0.0.0", 0, 652, ("remote", 0x4f2a)),    # meaningless remote end: junk
    (LISTEN, VM, 139, "0.0.0.0", 0, 4, None),
    (ESTAB, VM, 3389, "203.0.113.200", 51234, 1108, ("high", 0xbeef)),      # RDP session; junk in upper 16 bits
    (ESTAB, VM, 49702, "168.63.129.16", 32526, 2520, None),                  # Azure guest agent -> wireserver
    (ESTAB, VM, 49705, "169.254.169.254", 80, 2400, None),                   # SSM agent -> IMDS
    (ESTAB, VM, 49710, "169.254.0.23", 80, 2204, None),                      # tat_agent -> Tencent metadata
    (ESTAB, VM, 49711, "100.100.100.200", 80, 2312, None),                   # Alibaba Cloud Assistant -> metadata
    (ESTAB, VM, 49712, "169.254.169.254", 80, 2580, None),                   # GCE agent -> metadata
    (ESTAB, VM, 49720, "198.51.100.23", 3333, 4260, None),                   # scvhost.exe -> stratum port
    (ESTAB, VM, 49721, "198.51.100.77", 3333, 4440, ("high", 0x0101)),      # AppData "WindowsUpdate.exe" miner
    (ESTAB, VM, 49722, "203.0.113.50", 443, 4200, None),                     # svchost.exe from Users\Public
    (ESTAB, VM, 49723, "203.0.113.9", 8080, 4500, None),                     # fake aliyun_assist_service.exe
    (TIME_WAIT, VM, 49690, "203.0.113.30", 443, 0, None),                    # TIME_WAIT rows carry PID 0
    (12, VM, 49691, "203.0.113.31", 443, 0, None),                           # DELETE_TCB
]
TCP6 = [  # (state, local, lscope, lport, remote, rscope, rport, pid)
    (LISTEN, "::", 0, 135, "::", 0, 0, 860),
    (LISTEN, "::", 0, 445, "::", 0, 0, 4),
    (LISTEN, "::", 0, 3389, "::", 0, 0, 1108),
    (LISTEN, "::", 0, 5985, "::", 0, 0, 4),
    (ESTAB, VM6, 0, 3389, "2001:db8:99::5", 0, 60001, 1108),
    (ESTAB, "::ffff:" + VM, 0, 3389, "::ffff:203.0.113.201", 0, 52000, 1108),  # dual-mode socket with IPv4 peer
    (ESTAB, LL, 6, 49800, "fe80::1", 6, 443, 2580),                            # link-local, interface index 6
]
UDP4 = [  # (local, port, pid)
    ("0.0.0.0", 123, 1164), ("0.0.0.0", 3389, 1108), ("0.0.0.0", 5353, 1040), ("0.0.0.0", 5355, 1040),
    (VM, 137, 4), (VM, 138, 4), ("127.0.0.1", 50001, 2400), ("0.0.0.0", 59000, 0),
]
UDP6 = [  # (local, scope, port, pid)
    ("::", 0, 123, 1164), ("::", 0, 3389, 1108), ("::", 0, 5353, 1040), (LL, 6, 546, 948),
]


def port_dword(port, high=0):
    # network-order port in the low 16 bits of a little-endian DWORD: bytes [hi, lo, junk, junk]
    return struct.pack(">H", port) + struct.pack("<H", high)


def a4(s):
    return ipaddress.IPv4Address(s).packed


def a6(s):
    return ipaddress.IPv6Address(s).packed


def java_host(addr):
    """InetAddress.getHostAddress(): dotted quad, or eight lower-case hex groups without compression."""
    ip = ipaddress.ip_address(addr)
    if ip.version == 4:
        return str(ip)
    return ":".join(format(int(g, 16), "x") for g in ip.exploded.split(":"))


def end(addr, scope, port):
    ip = ipaddress.ip_address(addr)
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return java_host(str(ip.ipv4_mapped)) + ":" + str(port), True
    if ip.version == 4:
        return java_host(addr) + ":" + str(port), False
    return "[" + java_host(addr) + ("%" + str(scope) if scope else "") + "]:" + str(port), False


def table(rows):
    return struct.pack("<I", len(rows)) + b"".join(rows)


expected = []
rows = []
for state, local, lport, remote, rport, pid, junk in TCP4:
    rhigh = junk[1] if junk and junk[0] == "remote" else 0
    lhigh = junk[1] if junk and junk[0] == "high" else 0
    rp = 0x9a02 if junk and junk[0] == "remote" else rport  # a listener's meaningless remote port
    rows.append(struct.pack("<I", state) + a4(local) + port_dword(lport, lhigh) + a4(remote)
                + port_dword(rp, rhigh) + struct.pack("<I", pid))
    remote_txt = "0.0.0.0:0" if state == LISTEN else java_host(remote) + ":" + str(rport)
    expected.append(("tcp4", java_host(local) + ":" + str(lport), remote_txt, STATES[state], pid or -1, "false"))
open("tcp4.bin", "wb").write(table(rows))

rows = []
for state, local, ls, lport, remote, rs, rport, pid in TCP6:
    rows.append(a6(local) + struct.pack("<I", ls) + port_dword(lport) + a6(remote) + struct.pack("<I", rs)
                + port_dword(rport) + struct.pack("<II", state, pid))
    l_txt, dual = end(local, ls, lport)
    r_txt, _ = end(remote, rs, rport)
    if state == LISTEN:
        r_txt = "[0:0:0:0:0:0:0:0]:0"
    expected.append(("tcp6", l_txt, r_txt, STATES[state], pid or -1, str(dual).lower()))
open("tcp6.bin", "wb").write(table(rows))

rows = []
for local, port, pid in UDP4:
    rows.append(a4(local) + port_dword(port) + struct.pack("<I", pid))
    expected.append(("udp4", java_host(local) + ":" + str(port), "0.0.0.0:0", "UNCONNECTED", pid or -1, "false"))
open("udp4.bin", "wb").write(table(rows))

rows = []
for local, scope, port, pid in UDP6:
    rows.append(a6(local) + struct.pack("<I", scope) + port_dword(port) + struct.pack("<I", pid))
    l_txt, _ = end(local, scope, port)
    expected.append(("udp6", l_txt, "[0:0:0:0:0:0:0:0]:0", "UNCONNECTED", pid or -1, "false"))
open("udp6.bin", "wb").write(table(rows))

with open("iphelper-expected.tsv", "w") as f:
    f.write("# table\tlocal\tremote\tstate\towner_pid\tdual_stack  (generated by make-iphelper-fixtures.py)\n")
    for e in expected:
        f.write("\t".join(str(x) for x in e) + "\n")

# The rows GetPerTcpConnectionEStats / GetPerTcp6ConnectionEStats take for two of the connections above (MIB_TCPROW:
# dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr, dwRemotePort; MIB_TCP6ROW: State, LocalAddr, dwLocalScopeId,
# dwLocalPort, RemoteAddr, dwRemoteScopeId, dwRemotePort), and a TCP_ESTATS_DATA_ROD_v0 as the call returns it.
open("mib-tcprow-rdp.bin", "wb").write(struct.pack("<I", ESTAB) + a4(VM) + port_dword(3389) + a4("203.0.113.200")
                                       + port_dword(51234))
open("mib-tcp6row-linklocal.bin", "wb").write(struct.pack("<I", ESTAB) + a6(LL) + struct.pack("<I", 6)
                                              + port_dword(49800) + a6("fe80::1") + struct.pack("<I", 6)
                                              + port_dword(443))
rod = struct.pack("<QQQQQQ", 1_234_567_890_123, 912_345, 45_678_901, 81_234, 1_000_001, 900_002)
rod += struct.pack("<IIIII", 3, 2, 0x11223344, 0x11223399, 0x112233AA) + b"\0" * 4
rod += struct.pack("<Q", 1_234_560_000_000) + struct.pack("<I", 0x55667788) + b"\0" * 4
rod += struct.pack("<Q", 45_670_000)
assert len(rod) == 96
open("estats-data-rod.bin", "wb").write(rod)
