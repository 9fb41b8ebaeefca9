package io.bwdoctor.bench;

import io.bwdoctor.core.account.TrafficAccounting;
import io.bwdoctor.core.flow.View;
import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.LinkType;
import io.bwdoctor.testing.Packets;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoder + flow table on in-memory Ethernet frames (mixed TCP/UDP, IPv4/IPv6, heavy-tailed flows): packets per
 * second on one core. Run with bench/jmh.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@OperationsPerInvocation(PipelineBench.PACKETS)
public class PipelineBench {
    static final int PACKETS = 1 << 20;

    @Param({"50000"})
    int flows;

    private MemorySegment data;
    private long[] offsets;
    private int[] lengths;
    private TrafficAccounting accounting;
    private final Frame frame = new Frame();

    @Setup(Level.Trial)
    public void build() {
        SplittableRandom random = new SplittableRandom(42);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        offsets = new long[PACKETS];
        lengths = new int[PACKETS];
        for (int i = 0; i < PACKETS; i++) {
            int flow = (int) Math.min(flows - 1, (long) (flows * Math.pow(random.nextDouble(), 3))); // heavy head
            boolean v6 = flow % 10 < 3;
            boolean tcp = flow % 4 != 0;
            boolean reply = random.nextInt(3) == 0;
            String a = v6 ? "2001:db8::" + Integer.toHexString(1 + flow % 4000) : "192.0.2." + (1 + flow % 250);
            String b = v6 ? "2001:db8:1::" + Integer.toHexString(1 + flow / 4000) : "198.51.100." + (1 + flow / 250 % 250);
            int pa = 1024 + flow % 60000;
            int pb = tcp ? 443 : 53;
            int payload = reply ? 1400 : 40;
            byte[] l4 = tcp ? Packets.tcp(reply ? pb : pa, reply ? pa : pb, 0x10, new byte[Math.min(payload, 60)])
                    : Packets.udp(reply ? pb : pa, reply ? pa : pb, new byte[Math.min(payload, 60)]);
            byte[] ip = v6 ? Packets.ipv6(reply ? b : a, reply ? a : b, tcp ? 6 : 17, l4)
                    : Packets.ipv4(reply ? b : a, reply ? a : b, tcp ? 6 : 17, l4);
            byte[] f = Packets.ethernet(v6 ? 0x86dd : 0x0800, ip);
            offsets[i] = all.size();
            lengths[i] = f.length;
            all.writeBytes(f);
        }
        data = MemorySegment.ofArray(all.toByteArray());
    }

    @Setup(Level.Iteration)
    public void fresh() {
        accounting = new TrafficAccounting(EnumSet.of(View.CONVERSATION), 1_000_000);
    }

    @Benchmark
    public long decodeAndCount() {
        long nanos = 1_700_000_000_000_000_000L;
        for (int i = 0; i < PACKETS; i++) {
            nanos += 20_000; // 50,000 packets a second
            accounting.onFrame(frame.set(LinkType.ETHERNET, nanos, data, offsets[i], lengths[i], lengths[i] + 1400, 0));
        }
        return accounting.total().packets();
    }
}
