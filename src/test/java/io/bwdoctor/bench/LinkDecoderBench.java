package io.bwdoctor.bench;

import io.bwdoctor.core.packet.LinkDecoder;
import io.bwdoctor.core.packet.LinkResult;
import io.bwdoctor.core.packet.LinkType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Link decoding of Ethernet frames from native memory, as a mapped capture file or a live ring delivers them.
 * Run: java -cp target/test-classes:target/classes:$(test classpath) org.openjdk.jmh.Main LinkDecoderBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LinkDecoderBench {
    private static final String MACS = "020000000001020000000002";
    private static final String IPV4 = "4500001c1234000040110000c0000201c63364029c40003500080000";

    private final LinkDecoder decoder = new LinkDecoder();
    private final LinkResult result = new LinkResult();
    private MemorySegment frames;
    private long plain;
    private long vlan;
    private long qinq;
    private int plainLength;
    private int vlanLength;
    private int qinqLength;

    @Setup
    public void setUp() {
        byte[] a = HexFormat.of().parseHex(MACS + "0800" + IPV4);
        byte[] b = HexFormat.of().parseHex(MACS + "81000064" + "0800" + IPV4);
        byte[] c = HexFormat.of().parseHex(MACS + "88a80001" + "81000064" + "0800" + IPV4);
        frames = Arena.ofAuto().allocate(256);
        plain = 0;
        vlan = 64;
        qinq = 128;
        MemorySegment.copy(MemorySegment.ofArray(a), 0, frames, plain, a.length);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, frames, vlan, b.length);
        MemorySegment.copy(MemorySegment.ofArray(c), 0, frames, qinq, c.length);
        plainLength = a.length;
        vlanLength = b.length;
        qinqLength = c.length;
    }

    @Benchmark
    public long ethernet() {
        decoder.decode(LinkType.ETHERNET, frames, plain, plainLength, result);
        return result.networkOffset;
    }

    @Benchmark
    public long ethernetVlan() {
        decoder.decode(LinkType.ETHERNET, frames, vlan, vlanLength, result);
        return result.networkOffset;
    }

    @Benchmark
    public long ethernetQinq() {
        decoder.decode(LinkType.ETHERNET, frames, qinq, qinqLength, result);
        return result.networkOffset;
    }
}
