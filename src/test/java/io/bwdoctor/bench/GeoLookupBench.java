package io.bwdoctor.bench;

import io.bwdoctor.core.intel.ComposedIntel;
import io.bwdoctor.core.intel.GeoLookup;
import io.bwdoctor.core.intel.RemoteIntel;
import io.bwdoctor.core.intel.ThreatList;
import io.bwdoctor.core.intel.ThreatLists;
import io.bwdoctor.core.intel.UserNetworks;
import io.bwdoctor.intel.GeoData;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Country + ASN lookups per second on one thread, over the bundled data, with addresses spread at random (uniform
 * IPv4; IPv6 inside 2000::/4, where most allocations are) so the binary searches do not stay in cache. The composed
 * cases add the address class, a 20-entry networks file and two threat lists (5,000 CIDRs like FireHOL level1 and
 * 150,000 addresses like IPsum) on top: the whole RemoteIntel lookup the rest of the program uses.
 * Run: bench/jmh.sh GeoLookupBench -wi 2 -i 3 -f 1
 * On a machine shared with other loads, wall-clock throughput says little; {@link #main} measures the composed
 * lookup in thread CPU time instead (after bench/jmh.sh has built the classes):
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" io.bwdoctor.bench.GeoLookupBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GeoLookupBench {
    private static final int MASK = 4095;

    private final GeoLookup geo = GeoData.bundled();
    private final long[] v4 = new long[MASK + 1];
    private final long[] v6hi = new long[MASK + 1];
    private final long[] v6lo = new long[MASK + 1];
    private int next;
    private RemoteIntel composed;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i <= MASK; i++) {
            v4[i] = random.nextLong() & 0xffff_ffffL;
            v6hi[i] = 0x2000_0000_0000_0000L | (random.nextLong() >>> 4);
            v6lo[i] = random.nextLong();
        }
        List<String> networks = new ArrayList<>();
        for (int i = 0; i < 20; i++) networks.add((random.nextInt(223) + 1) + "." + random.nextInt(256) + ".0.0/16 net" + i
                + (i % 2 == 0 ? " country=DE" : " asn=64500"));
        List<String> level1 = new ArrayList<>(), ipsum = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) level1.add(dotted(random.nextLong() & 0xffff_ff00L) + "/" + (16 + random.nextInt(9)));
        for (int i = 0; i < 150_000; i++) ipsum.add(dotted(random.nextLong() & 0xffff_ffffL) + "\t3");
        composed = new ComposedIntel(geo, UserNetworks.parse(networks), ThreatLists.of(List.of(
                ThreatList.parse("firehol_level1", level1), ThreatList.parse("ipsum", ipsum)), List.of()));
    }

    private static String dotted(long a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    @Benchmark
    public Object ipv4() {
        int i = next++ & MASK;
        return geo.lookup(4, 0, v4[i]);
    }

    @Benchmark
    public Object ipv6() {
        int i = next++ & MASK;
        return geo.lookup(6, v6hi[i], v6lo[i]);
    }

    @Benchmark
    public Object composedIpv4() {
        int i = next++ & MASK;
        return composed.lookup(4, 0, v4[i]);
    }

    @Benchmark
    public Object composedIpv6() {
        int i = next++ & MASK;
        return composed.lookup(6, v6hi[i], v6lo[i]);
    }

    /** Thread-CPU nanoseconds per lookup, 5 rounds of 10 M after 10 M warm-up lookups each. */
    public static void main(String[] args) {
        GeoLookupBench b = new GeoLookupBench();
        b.setUp();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 6; round++) {
            int n = 10_000_000;
            long v4 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) sink += b.composedIpv4().hashCode();
            long v6 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) sink += b.composedIpv6().hashCode();
            long end = cpu.getCurrentThreadCpuTime();
            if (round > 0) System.out.printf("composed lookup, CPU time: IPv4 %.0f ns (%.1f M/s per core), "
                    + "IPv6 %.0f ns (%.1f M/s per core)%n", (v6 - v4) / (double) n, n * 1e3 / (v6 - v4),
                    (end - v6) / (double) n, n * 1e3 / (end - v6));
        }
        if (sink == 42) System.out.println();
    }
}
