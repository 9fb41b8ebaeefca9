package io.bwdoctor.platform.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Remembers, in kernel context, which process opened each outgoing TCP connection, so that a process that lives only
 * milliseconds (connect, send, exit) is still named after it is gone from /proc.
 *
 * <p>An eBPF program, hand-assembled here and loaded through bpf(2), runs on the raw tracepoint
 * {@code inet_sock_set_state} (stable since Linux 4.16; raw tracepoints need no tracefs mount). On CLOSE → SYN_SENT,
 * which runs inside connect() in the caller's process, it stores socket address → (tgid, comm); the source port is
 * not chosen yet at that moment. On SYN_SENT → ESTABLISHED the 4-tuple is complete and the owner moves to a second
 * map keyed by (family, local port, remote port, local address, remote address). Struct offsets come from the
 * kernel's BTF. Both maps are LRU, so memory is bounded however many connections pass.
 */
public final class SocketOwnerTracer implements AutoCloseable {
    /** The process that connected a socket: its tgid and its comm at connect time (untrusted, may be changed). */
    public record Owner(int pid, String comm) {}

    private static final String TRACEPOINT = "inet_sock_set_state";
    private static final int AF_INET = 2, AF_INET6 = 10;
    private static final int TCP_ESTABLISHED = 1, TCP_SYN_SENT = 2;
    private static final int KEY_SIZE = 40, VALUE_SIZE = 24;
    private static final int MAX_CONNECTING = 16_384, MAX_CONNECTIONS = 65_536;

    private final Bpf bpf;
    private final List<Integer> fds = new ArrayList<>();
    private final int tupleMap;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(KEY_SIZE, 8);
    private final MemorySegment value = arena.allocate(VALUE_SIZE, 8);
    private boolean closed;

    private SocketOwnerTracer(Bpf bpf, Map<String, Integer> sk) throws TracingUnavailableException {
        this.bpf = bpf;
        try {
            int pending = add(bpf.createMap(Bpf.MAP_TYPE_LRU_HASH, 8, VALUE_SIZE, MAX_CONNECTING, "bwd_connecting"));
            tupleMap = add(bpf.createMap(Bpf.MAP_TYPE_LRU_HASH, KEY_SIZE, VALUE_SIZE, MAX_CONNECTIONS, "bwd_owners"));
            int prog = add(bpf.loadProgram(Bpf.PROG_TYPE_RAW_TRACEPOINT, program(pending, tupleMap, sk), "bwd_sk_owner"));
            add(bpf.openRawTracepoint(TRACEPOINT, prog));
        } catch (TracingUnavailableException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Loads and attaches the tracer.
     *
     * @throws TracingUnavailableException when this system cannot run it (not Linux, unknown architecture, no BTF,
     *                                     no privileges, kernel without eBPF or the tracepoint); the message says why
     */
    public static SocketOwnerTracer start() throws TracingUnavailableException {
        Bpf bpf = new Bpf();
        Map<String, Integer> sk;
        try {
            sk = socketOffsets();
        } catch (TracingUnavailableException e) {
            bpf.close();
            throw e;
        }
        return new SocketOwnerTracer(bpf, sk);
    }

    private static Map<String, Integer> socketOffsets() throws TracingUnavailableException {
        Map<String, Integer> common;
        Map<String, Integer> sock;
        try {
            KernelBtf btf = KernelBtf.read(KernelBtf.VMLINUX);
            common = btf.memberOffsets("sock_common");
            sock = btf.memberOffsets("sock");
        } catch (IOException | RuntimeException e) {
            throw new TracingUnavailableException("cannot read kernel type information " + KernelBtf.VMLINUX
                    + " (" + e.getMessage() + "; needs CONFIG_DEBUG_INFO_BTF)");
        }
        Integer base = sock.get("__sk_common");
        Map<String, Integer> out = new HashMap<>();
        for (String f : List.of("skc_daddr", "skc_rcv_saddr", "skc_dport", "skc_num", "skc_family", "skc_v6_daddr",
                "skc_v6_rcv_saddr")) {
            Integer off = common.get(f);
            if (off == null || base == null) {
                throw new TracingUnavailableException("struct sock_common." + f + " not found in kernel BTF");
            }
            out.put(f, base + off);
        }
        return out;
    }

    private int add(int fd) {
        fds.add(fd);
        return fd;
    }

    /**
     * The process that connected the TCP socket with this exact local and remote address, in the project's address
     * words (IPv4: hi = 0, lo = the address; IPv6: two big-endian halves). IPv4 connections made from dual-stack
     * (IPv4-mapped IPv6) sockets are found too.
     */
    public synchronized Optional<Owner> lookup(int ipVersion, long localHi, long localLo, int localPort,
                                               long remoteHi, long remoteLo, int remotePort) {
        if (closed) {
            return Optional.empty();
        }
        boolean found;
        if (ipVersion == 4) {
            found = find(AF_INET, 0, localLo, localPort, 0, remoteLo, remotePort)
                    || find(AF_INET6, 0, 0xffff_0000_0000L | (localLo & 0xffffffffL), localPort,
                    0, 0xffff_0000_0000L | (remoteLo & 0xffffffffL), remotePort);
        } else {
            found = find(AF_INET6, localHi, localLo, localPort, remoteHi, remoteLo, remotePort);
        }
        if (!found) {
            return Optional.empty();
        }
        int pid = value.get(JAVA_INT, 0);
        byte[] comm = new byte[16];
        MemorySegment.copy(value, JAVA_BYTE, 8, comm, 0, 16);
        int len = 0;
        while (len < 16 && comm[len] != 0) {
            len++;
        }
        return Optional.of(new Owner(pid, new String(comm, 0, len, StandardCharsets.UTF_8)));
    }

    /** The pid that connected this exact TCP 4-tuple, if the tracer saw it. */
    public OptionalInt ownerOf(int ipVersion, long localHi, long localLo, int localPort, long remoteHi, long remoteLo,
                               int remotePort) {
        return lookup(ipVersion, localHi, localLo, localPort, remoteHi, remoteLo, remotePort)
                .map(o -> OptionalInt.of(o.pid())).orElse(OptionalInt.empty());
    }

    /** How many connections the tracer remembers (walks the map; for tests and diagnostics). */
    public synchronized int size() {
        if (closed) {
            return 0;
        }
        int n = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = a.allocate(KEY_SIZE, 8);
            MemorySegment next = a.allocate(KEY_SIZE, 8);
            boolean more = bpf.nextKey(tupleMap, null, next);
            while (more && n < MAX_CONNECTIONS * 2) {
                n++;
                MemorySegment.copy(next, 0, k, 0, KEY_SIZE);
                more = bpf.nextKey(tupleMap, k, next);
            }
        }
        return n;
    }

    private boolean find(int family, long lHi, long lLo, int lPort, long rHi, long rLo, int rPort) {
        key.fill((byte) 0);
        key.set(JAVA_SHORT, 0, (short) family);
        key.set(JAVA_SHORT, 2, (short) lPort);                      // skc_num: host order
        key.set(JAVA_BYTE, 4, (byte) (rPort >>> 8));                 // skc_dport: network order
        key.set(JAVA_BYTE, 5, (byte) rPort);
        if (family == AF_INET) {
            putBigEndian(8, lLo, 4);
            putBigEndian(24, rLo, 4);
        } else {
            putBigEndian(8, lHi, 8);
            putBigEndian(16, lLo, 8);
            putBigEndian(24, rHi, 8);
            putBigEndian(32, rLo, 8);
        }
        return bpf.lookup(tupleMap, key, value);
    }

    private void putBigEndian(long offset, long word, int bytes) {
        for (int i = 0; i < bytes; i++) {
            key.set(JAVA_BYTE, offset + i, (byte) (word >>> (8 * (bytes - 1 - i))));
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc libc = new Libc();
        for (int i = fds.size() - 1; i >= 0; i--) { // the attachment first, then program, then maps
            libc.close(fds.get(i));
        }
        fds.clear();
        bpf.close();
        arena.close();
    }

    // ---- the eBPF program ----

    /*
     * Stack: fp-8 socket address (key of the connecting map); fp-32..-8 value (tgid u32, pad, comm[16]);
     * fp-72..-32 the 4-tuple key: u16 family, u16 local port (host order), u16 remote port (network order), u16 0,
     * local address[16], remote address[16] (IPv4 in the first 4 bytes).
     */
    static long[] program(int connectingMap, int ownerMap, Map<String, Integer> sk) {
        Asm a = new Asm();
        a.ldx(Asm.DW, 6, 1, 0);                    // r6 = sk
        a.ldx(Asm.DW, 7, 1, 8);                    // r7 = oldstate
        a.ldx(Asm.DW, 8, 1, 16);                   // r8 = newstate
        a.stx(Asm.DW, 10, 6, -8);
        a.jneImm(8, TCP_SYN_SENT, "notConnect");
        // connect(): in the caller's context
        a.stImm(Asm.DW, 10, -32, 0);
        a.call(14);                                // bpf_get_current_pid_tgid
        a.rshImm(0, 32);
        a.stx(Asm.W, 10, 0, -32);
        a.movReg(1, 10).addImm(1, -24).movImm(2, 16).call(16); // bpf_get_current_comm
        a.ldMapFd(1, connectingMap).movReg(2, 10).addImm(2, -8).movReg(3, 10).addImm(3, -32).movImm(4, 0).call(2);
        a.jmp("out");
        a.label("notConnect");
        a.jneImm(7, TCP_SYN_SENT, "out");
        a.jneImm(8, TCP_ESTABLISHED, "forget");
        a.ldMapFd(1, connectingMap).movReg(2, 10).addImm(2, -8).call(1); // bpf_map_lookup_elem
        a.jeqImm(0, 0, "out");
        a.movReg(9, 0);
        for (int off = -72; off < -32; off += 8) {
            a.stImm(Asm.DW, 10, off, 0);
        }
        a.readKernel(-72, 2, sk.get("skc_family"));
        a.readKernel(-70, 2, sk.get("skc_num"));
        a.readKernel(-68, 2, sk.get("skc_dport"));
        a.ldx(Asm.H, 1, 10, -72);
        a.jneImm(1, AF_INET, "v6");
        a.readKernel(-64, 4, sk.get("skc_rcv_saddr"));
        a.readKernel(-48, 4, sk.get("skc_daddr"));
        a.jmp("store");
        a.label("v6");
        a.jneImm(1, AF_INET6, "forget");
        a.readKernel(-64, 16, sk.get("skc_v6_rcv_saddr"));
        a.readKernel(-48, 16, sk.get("skc_v6_daddr"));
        a.label("store");
        a.ldMapFd(1, ownerMap).movReg(2, 10).addImm(2, -72).movReg(3, 9).movImm(4, 0).call(2);
        a.label("forget");
        a.ldMapFd(1, connectingMap).movReg(2, 10).addImm(2, -8).call(3); // bpf_map_delete_elem
        a.label("out");
        a.movImm(0, 0).exit();
        return a.assemble();
    }

    /** A minimal eBPF assembler: 64-bit instructions, little-endian hosts, forward and backward labels. */
    static final class Asm {
        static final int W = 0x00, H = 0x08, B = 0x10, DW = 0x18;
        private final List<long[]> code = new ArrayList<>(); // {opcode, dst, src, off, imm}
        private final Map<String, Integer> labels = new HashMap<>();
        private final Map<Integer, String> fixups = new HashMap<>();

        private Asm emit(int op, int dst, int src, int off, int imm) {
            code.add(new long[] {op, dst, src, off, imm});
            return this;
        }

        Asm ldx(int size, int dst, int src, int off) {
            return emit(0x61 | size, dst, src, off, 0);
        }

        Asm stx(int size, int dst, int src, int off) {
            return emit(0x63 | size, dst, src, off, 0);
        }

        Asm stImm(int size, int dst, int off, int imm) {
            return emit(0x62 | size, dst, 0, off, imm);
        }

        Asm movImm(int dst, int imm) {
            return emit(0xb7, dst, 0, 0, imm);
        }

        Asm movReg(int dst, int src) {
            return emit(0xbf, dst, src, 0, 0);
        }

        Asm addImm(int dst, int imm) {
            return emit(0x07, dst, 0, 0, imm);
        }

        Asm rshImm(int dst, int imm) {
            return emit(0x77, dst, 0, 0, imm);
        }

        Asm call(int helper) {
            return emit(0x85, 0, 0, 0, helper);
        }

        Asm exit() {
            return emit(0x95, 0, 0, 0, 0);
        }

        /** Two instruction slots: a 64-bit immediate that the kernel turns into the map's address. */
        Asm ldMapFd(int dst, int mapFd) {
            emit(0x18, dst, 1, 0, mapFd); // src 1 = BPF_PSEUDO_MAP_FD
            return emit(0, 0, 0, 0, 0);
        }

        /** bpf_probe_read_kernel(fp + stackOff, size, r6 + skOff). */
        Asm readKernel(int stackOff, int size, int skOff) {
            return movReg(1, 10).addImm(1, stackOff).movImm(2, size).movReg(3, 6).addImm(3, skOff).call(113);
        }

        Asm jeqImm(int dst, int imm, String label) {
            return jump(0x15, dst, imm, label);
        }

        Asm jneImm(int dst, int imm, String label) {
            return jump(0x55, dst, imm, label);
        }

        Asm jmp(String label) {
            return jump(0x05, 0, 0, label);
        }

        private Asm jump(int op, int dst, int imm, String label) {
            fixups.put(code.size(), label);
            return emit(op, dst, 0, 0, imm);
        }

        Asm label(String name) {
            labels.put(name, code.size());
            return this;
        }

        long[] assemble() {
            long[] out = new long[code.size()];
            for (int i = 0; i < out.length; i++) {
                long[] c = code.get(i);
                long off = c[3];
                String target = fixups.get(i);
                if (target != null) {
                    Integer at = labels.get(target);
                    if (at == null) {
                        throw new IllegalStateException("undefined label " + target);
                    }
                    off = at - i - 1;
                }
                out[i] = (c[0] & 0xff) | (c[1] & 0xf) << 8 | (c[2] & 0xf) << 12 | (off & 0xffff) << 16
                        | (c[4] & 0xffffffffL) << 32;
            }
            return out;
        }
    }
}
