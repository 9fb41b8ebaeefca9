package io.bwdoctor.capture.file;

import io.bwdoctor.capture.file.RecordingSink.Copy;
import io.bwdoctor.capture.file.SharedPcapsConformanceTest.ChunkedStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random packet lists written as pcap (LE/BE, µs/ns, modified) and pcapng (several sections and interfaces, EPB,
 * SPB, obsolete PB, other blocks in between, odd timestamp resolutions), optionally gzipped, read back from a
 * mapped file, an array and a chunked stream: the frames must be the ones written.
 */
class RoundTripTest {
    private static final int[] LINK_FIELDS = {1, 101, 113, 276, 0x40000001, 0x30000001, 228, 12};

    @TempDir
    Path dir;

    static IntStream seeds() {
        return IntStream.range(0, 100);
    }

    /** A generated capture and what reading it must give. */
    record Case(String description, byte[] bytes, List<Copy> expected, int interfaces, int lastStart,
                int lastHeaderForWire, long lastWire) {}

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readsBackWhatWasWritten(int seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Case c = seed % 2 == 0 ? pcapCase(r) : pcapngCase(r);
        boolean gzip = r.nextInt(4) == 0;
        byte[] bytes = gzip ? SharedPcapsConformanceTest.gzip(c.bytes) : c.bytes;

        RecordingSink fromFile = new RecordingSink();
        Path file = dir.resolve("case-" + seed);
        Files.write(file, bytes);
        CaptureInfo info = CaptureFiles.read(file.toString(), fromFile);
        assertThat(info.gzipped()).isEqualTo(gzip);
        assertThat(fromFile.frames).as(c.description).isEqualTo(c.expected);
        assertThat(fromFile.unreadable).isEmpty();
        assertThat(info.packets()).isEqualTo(c.expected.size());
        assertThat(info.interfaces()).hasSize(c.interfaces);
        assertThat(info.interfaces().stream().mapToLong(CaptureInfo.Interface::packets).sum())
                .isEqualTo(c.expected.size());

        RecordingSink fromArray = new RecordingSink();
        CaptureFiles.read("array", bytes, fromArray);
        assertThat(fromArray.frames).isEqualTo(c.expected);

        RecordingSink fromStream = new RecordingSink();
        CaptureFiles.read("stream", new ChunkedStream(bytes, 1 + r.nextInt(5000)), fromStream);
        assertThat(fromStream.frames).isEqualTo(c.expected);
    }

    /** Cutting the file inside its last packet record: the others are delivered, the last one reported. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void truncatedLastRecordIsReportedNotThrown(int seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed + 1000L);
        Case c;
        do {
            c = seed % 2 == 0 ? pcapCase(r) : pcapngCase(r);
        } while (c.lastStart < 0);
        int cut = c.lastStart + 1 + r.nextInt(c.bytes.length - c.lastStart - 1);
        byte[] bytes = java.util.Arrays.copyOf(c.bytes, cut);
        long wire = cut - c.lastStart >= c.lastHeaderForWire ? c.lastWire : 0;
        for (int way = 0; way < 2; way++) {
            RecordingSink sink = new RecordingSink();
            CaptureInfo info = way == 0 ? CaptureFiles.read("cut", bytes, sink)
                    : CaptureFiles.read("cut", new ChunkedStream(bytes, 1 + r.nextInt(300)), sink);
            assertThat(sink.frames).as(c.description).isEqualTo(c.expected.subList(0, c.expected.size() - 1));
            assertThat(sink.unreadable).containsExactly(
                    new RecordingSink.Unreadable("truncated record at end of file", (int) wire));
            assertThat(info.truncated()).isTrue();
            assertThat(info.unreadableRecords()).isOne();
        }
    }

    private static byte[] data(SplittableRandom r) {
        int n = r.nextInt(50) == 0 ? 200_000 + r.nextInt(500_000) : r.nextInt(300);
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static long wireFor(SplittableRandom r, int captured) {
        return r.nextInt(3) == 0 ? captured + r.nextInt(70_000) : captured;
    }

    static Case pcapCase(SplittableRandom r) {
        ByteOrder order = r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int magic = switch (r.nextInt(3)) {
            case 0 -> TestCaptureWriter.MAGIC_MICRO;
            case 1 -> TestCaptureWriter.MAGIC_NANO;
            default -> TestCaptureWriter.MAGIC_MODIFIED;
        };
        boolean modified = magic == TestCaptureWriter.MAGIC_MODIFIED;
        int linkField = LINK_FIELDS[r.nextInt(LINK_FIELDS.length)];
        TestCaptureWriter w = TestCaptureWriter.pcap(order, magic, 2, 4, 262144, linkField);
        List<Copy> expected = new ArrayList<>();
        int count = r.nextInt(20);
        long lastWire = 0;
        for (int i = 0; i < count; i++) {
            long seconds = r.nextLong(1L << 32);
            long limit = magic == TestCaptureWriter.MAGIC_NANO ? 1_000_000_000L : 1_000_000L;
            long fraction = r.nextInt(10) == 0 ? r.nextLong(1L << 32) : r.nextLong(limit);  // sometimes >= 1 s
            byte[] data = data(r);
            long wire = wireFor(r, data.length);
            w.record(seconds, fraction, data, wire, modified);
            long nanos = seconds * 1_000_000_000L + fraction * (magic == TestCaptureWriter.MAGIC_NANO ? 1 : 1000);
            expected.add(new Copy(linkField & 0xffff, nanos, 0, (int) wire, data));
            lastWire = wire;
        }
        return new Case("pcap " + order + " magic " + Integer.toHexString(magic), w.bytes(), expected, 1,
                count == 0 ? -1 : w.lastStart, modified ? 24 : 16, lastWire);
    }

    /** Interface as the test knows it: link type, snap length, if_tsresol byte, offset seconds. */
    private record Iface(int linkType, long snap, int tsResolution, long offset) {}

    static Case pcapngCase(SplittableRandom r) {
        TestCaptureWriter w = TestCaptureWriter.pcapng();
        List<Copy> expected = new ArrayList<>();
        List<Iface> all = new ArrayList<>();
        int sections = 1 + r.nextInt(3);
        int lastStart = -1;
        int lastHeaderForWire = 0;
        long lastWire = 0;
        StringBuilder description = new StringBuilder("pcapng");
        for (int s = 0; s < sections; s++) {
            ByteOrder order = r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            w.shb(order, 1, r.nextInt(4) == 0 ? 2 : 0, r.nextBoolean());
            description.append(" | ").append(order);
            int base = all.size();
            List<Iface> local = new ArrayList<>();
            int interfaces = r.nextInt(5);
            for (int i = 0; i < interfaces; i++) {
                int link = LINK_FIELDS[r.nextInt(LINK_FIELDS.length)] & 0xffff;
                long snap = new long[] {0, 65535, 96, 262144, 1}[r.nextInt(5)];
                Integer tsResolution = switch (r.nextInt(6)) {
                    case 0 -> null;
                    case 1 -> 9;
                    case 2 -> r.nextInt(13);
                    case 3 -> 0x80 | r.nextInt(41);
                    case 4 -> r.nextInt(256);        // anything, up to 2^-127 and 10^-127
                    default -> 6;
                };
                Long offset = r.nextInt(3) == 0 ? (Long) (r.nextInt(4) == 0 ? r.nextLong() : r.nextLong(-(1L << 31), 1L << 31)) : null;
                w.idb(link, snap, tsResolution, offset, r.nextBoolean());
                Iface f = new Iface(link, snap, tsResolution == null ? 6 : tsResolution, offset == null ? 0 : offset);
                local.add(f);
                all.add(f);
                description.append(" if(").append(link).append(",snap ").append(snap).append(",res 0x")
                        .append(Integer.toHexString(f.tsResolution)).append(",off ").append(f.offset).append(')');
            }
            int blocks = r.nextInt(12);
            for (int b = 0; b < blocks; b++) {
                int kind = r.nextInt(10);
                if (kind < 2 || local.isEmpty()) {
                    otherBlock(w, r);
                    continue;
                }
                byte[] data = data(r);
                long wire = wireFor(r, data.length);
                if (kind < 4) {
                    Iface f = local.getFirst();
                    // the SPB holds min(wire, snap) bytes: that is what the reader must deliver
                    byte[] spbData = new byte[(int) (f.snap == 0 ? wire : Math.min(wire, f.snap))];
                    r.nextBytes(spbData);
                    w.spb(spbData, wire);
                    expected.add(new Copy(f.linkType, Long.MIN_VALUE, base, (int) wire, spbData));
                    lastHeaderForWire = 12;
                } else {
                    int id = r.nextInt(local.size());
                    Iface f = local.get(id);
                    long units = switch (r.nextInt(3)) {
                        case 0 -> r.nextLong();
                        case 1 -> r.nextLong(1L << 40);
                        default -> 1_700_000_000L * (long) Math.pow(10, Math.min(f.tsResolution & 0x7f, 9));
                    };
                    if (kind < 6) {
                        w.pb(id, units, data, wire);
                    } else {
                        w.epb(id, units, data, wire, r.nextBoolean());
                    }
                    expected.add(new Copy(f.linkType, expectedNanos(units, f), base + id, (int) wire, data));
                    lastHeaderForWire = 28;
                }
                lastStart = w.lastStart;
                lastWire = wire;
            }
            if (r.nextInt(3) == 0) {
                otherBlock(w, r);
            }
        }
        if (w.lastStart != lastStart) {
            lastStart = -1;  // the last block is no packet: cutting it is not the case under test
        }
        return new Case(description.toString(), w.bytes(), expected, all.size(), lastStart, lastHeaderForWire, lastWire);
    }

    /** NRB, ISB, custom, decryption secrets or an unknown type, with random content. */
    private static void otherBlock(TestCaptureWriter w, SplittableRandom r) {
        int[] types = {4, 5, 0x00000BAD, 0x40000BAD, 0x0A, 0x12345678};
        byte[] body = new byte[r.nextInt(64)];
        r.nextBytes(body);
        w.block(types[r.nextInt(types.length)], body);
    }

    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000L);

    /** Reference conversion with BigInteger: floor(units * 10^9 / resolution), then + offset, each step saturated. */
    static long expectedNanos(long units, Iface f) {
        BigInteger u = new BigInteger(Long.toUnsignedString(units));
        int n = f.tsResolution & 0x7f;
        BigInteger perSecond = (f.tsResolution & 0x80) != 0 ? BigInteger.TWO.pow(n) : BigInteger.TEN.pow(n);
        BigInteger nanos = u.multiply(BILLION).divide(perSecond).min(MAX);
        BigInteger offset = BigInteger.valueOf(f.offset).multiply(BILLION)
                .max(BigInteger.valueOf(Long.MIN_VALUE + 1)).min(MAX);
        return nanos.add(offset).max(BigInteger.valueOf(Long.MIN_VALUE + 1)).min(MAX).longValueExact();
    }
}
