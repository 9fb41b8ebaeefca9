package io.bwdoctor.capture.file;

import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.bwdoctor.capture.file.TestCaptureWriter.MAGIC_MICRO;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Edge cases of opening and reading: bad headers, limits, truncation, stdin, gzip, messages. */
class CaptureFilesTest {
    @TempDir
    Path dir;

    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    private static TestCaptureWriter pcap() {
        return TestCaptureWriter.pcap(LITTLE_ENDIAN, MAGIC_MICRO, 2, 4, 65535, 1);
    }

    private static TestCaptureWriter pcapng(ByteOrder order) {
        return TestCaptureWriter.pcapng().shb(order, 1, 0, false);
    }

    /** Reads the bytes every way (mapped file, array, stream in 3-byte chunks) and returns the array result. */
    private RecordingSink readAllWays(byte[] bytes) throws IOException {
        Path file = dir.resolve("c.pcap");
        Files.write(file, bytes);
        RecordingSink mapped = new RecordingSink();
        CaptureFiles.read(file.toString(), mapped);
        RecordingSink array = new RecordingSink();
        CaptureFiles.read("c.pcap", bytes, array);
        RecordingSink stream = new RecordingSink();
        CaptureFiles.read("c.pcap", new SharedPcapsConformanceTest.ChunkedStream(bytes, 3), stream);
        assertThat(mapped.frames).isEqualTo(array.frames).isEqualTo(stream.frames);
        assertThat(mapped.unreadable).isEqualTo(array.unreadable).isEqualTo(stream.unreadable);
        return array;
    }

    /** The message of reading the bytes, the same from a mapped file, an array and a stream (offsets included). */
    private String failure(byte[] bytes) throws IOException {
        Path file = dir.resolve("bad.pcap");
        Files.write(file, bytes);
        String mapped = messageOf(() -> CaptureFiles.read(file.toString(), new RecordingSink()));
        String array = messageOf(() -> CaptureFiles.read(file.toString(), bytes, new RecordingSink()));
        String stream = messageOf(() -> CaptureFiles.read(file.toString(),
                new SharedPcapsConformanceTest.ChunkedStream(bytes, 5), new RecordingSink()));
        assertThat(mapped).isEqualTo(array).isEqualTo(stream).startsWith(file + ": ").doesNotContain("\n");
        return mapped.substring(file.toString().length() + 2);
    }

    private interface Read {
        void run() throws IOException;
    }

    private static String messageOf(Read read) {
        try {
            read.run();
        } catch (CaptureFileException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError("expected a CaptureFileException", e);
        }
        throw new AssertionError("expected a CaptureFileException, got none");
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        assertThat(failure(new byte[0])).isEqualTo("empty file");
        assertThat(messageOf(() -> CaptureFiles.read("x.gz", SharedPcapsConformanceTest.gzip(new byte[0]),
                new RecordingSink()))).isEqualTo("x.gz: empty file (after gzip decompression)");
    }

    @Test
    void otherFilesAreNamedByTheirFirstBytes() throws IOException {
        assertThat(failure("<html><body>".getBytes())).isEqualTo("not a pcap or pcapng file (starts with 3c 68 74 6d)");
        assertThat(failure(new byte[] {(byte) 0xd4, (byte) 0xc3})).isEqualTo("not a pcap or pcapng file (only 2 bytes: d4 c3)");
        assertThat(failure(Arrays.copyOf(pcap().bytes(), 10))).isEqualTo("pcap file header cut short (10 of 24 bytes)");
        assertThat(failure(Arrays.copyOf(pcapng(LITTLE_ENDIAN).bytes(), 10))).isEqualTo("pcapng section header cut short (10 bytes)");
    }

    @Test
    void formatComesFromTheMagicNotTheName() throws IOException {
        byte[] ng = pcapng(BIG_ENDIAN).idb(1, 0, null, null, false).epb(0, 5, PAYLOAD, 60, false).bytes();
        Path misnamed = dir.resolve("looks-like.pcap");
        Files.write(misnamed, ng);
        CaptureInfo info = CaptureFiles.read(misnamed.toString(), new RecordingSink());
        assertThat(info.format()).isEqualTo(CaptureFormat.PCAPNG);
        assertThat(info.byteOrder()).isEqualTo(BIG_ENDIAN);
        assertThat(info.packets()).isOne();
    }

    @Test
    void pcapVersionAndReservedLinkTypeBitsAreChecked() throws IOException {
        assertThat(failure(TestCaptureWriter.pcap(BIG_ENDIAN, MAGIC_MICRO, 1, 0, 65535, 1).bytes()))
                .isEqualTo("pcap major version 1 is not supported (version 1.0; only 2.x exists)");
        assertThat(failure(TestCaptureWriter.pcap(LITTLE_ENDIAN, MAGIC_MICRO, 2, 4, 65535, 0x00300000).bytes()))
                .isEqualTo("pcap link-type field 0x00300000 has reserved bits set (0x00300000)");
        // FCS length in the upper bits is no reserved bit: still Ethernet
        RecordingSink sink = readAllWays(TestCaptureWriter.pcap(LITTLE_ENDIAN, MAGIC_MICRO, 2, 4, 65535, 0x40000001)
                .record(1, 2, PAYLOAD, 10, false).bytes());
        assertThat(sink.frames.getFirst().linkType()).isEqualTo(1);
    }

    @Test
    void hugeCapturedLengthIsRejectedWithoutAllocating() throws IOException {
        byte[] bytes = pcap().record(1, 0, PAYLOAD, 10, false).raw(new byte[] {
                1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, 0, 0, 0, (byte) 0x80}).bytes();
        assertThat(failure(bytes)).isEqualTo(
                "record at offset 50 has a captured length of 2147483648 bytes (limit 16 MiB)");
        // a wire length far above the captured length is normal (snaplen), even the largest one
        RecordingSink sink = readAllWays(pcap().record(1, 0, PAYLOAD, 0xffffffffL, false).bytes());
        assertThat(sink.frames.getFirst().wireLength()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void truncatedRecordIsReportedWithItsWireLength() throws IOException {
        byte[] whole = pcap().record(1, 0, PAYLOAD, 10, false).record(2, 0, PAYLOAD, 1514, false).bytes();
        RecordingSink sink = readAllWays(Arrays.copyOf(whole, whole.length - 3));
        assertThat(sink.frames).hasSize(1);
        assertThat(sink.unreadable).containsExactly(new RecordingSink.Unreadable("truncated record at end of file", 1514));
        // cut inside the record header: the length is not known
        sink = readAllWays(Arrays.copyOf(whole, 24 + 26 + 5));
        assertThat(sink.unreadable).containsExactly(new RecordingSink.Unreadable("truncated record at end of file", 0));
    }

    @Test
    void truncatedGzipDeliversWhatItCan() throws IOException {
        TestCaptureWriter w = pcap();
        for (int i = 0; i < 200; i++) {
            w.record(i, 0, PAYLOAD, 60, false);
        }
        byte[] gz = SharedPcapsConformanceTest.gzip(w.bytes());
        RecordingSink sink = new RecordingSink();
        CaptureInfo info = CaptureFiles.read("cut.pcap.gz", Arrays.copyOf(gz, gz.length - 12), sink);
        assertThat(info.truncated()).isTrue();
        assertThat(sink.frames.size() + sink.unreadable.size()).isBetween(1, 200);

        byte[] corrupt = gz.clone();
        for (int i = 20; i < 40; i++) {
            corrupt[i] ^= 0x55;
        }
        assertThat(messageOf(() -> CaptureFiles.read("bad.gz", corrupt, new RecordingSink())))
                .startsWith("bad.gz: ");
    }

    @Test
    void pcapngBlockLengthsAreChecked() throws IOException {
        TestCaptureWriter ok = pcapng(LITTLE_ENDIAN).idb(1, 0, null, null, false);
        byte[] badTrailer = ok.bytes().clone();
        badTrailer[badTrailer.length - 4] ^= 4;
        assertThat(failure(badTrailer)).isEqualTo(
                "interface description block at offset 28: trailing length 16 differs from leading length 20");
        byte[] oddLength = pcapng(LITTLE_ENDIAN).raw(new byte[] {1, 0, 0, 0, 21, 0, 0, 0}).raw(new byte[16]).bytes();
        assertThat(failure(oddLength)).isEqualTo(
                "interface description block at offset 28 has an invalid length of 21 bytes (at least 20 and a multiple of 4)");
        byte[] tooShort = pcapng(BIG_ENDIAN).raw(new byte[] {0, 0, 0, 6, 0, 0, 0, 12, 0, 0, 0, 12}).bytes();
        assertThat(failure(tooShort)).isEqualTo(
                "enhanced packet block at offset 28 has an invalid length of 12 bytes (at least 32 and a multiple of 4)");
        byte[] huge = pcapng(LITTLE_ENDIAN).raw(new byte[] {6, 0, 0, 0, 0, 0, 0, 0x40}).bytes();
        assertThat(failure(huge)).isEqualTo("enhanced packet block at offset 28 is 1073741824 bytes long (limit 17 MiB)");
        byte[] overfull = ok.epb(0, 0, PAYLOAD, 10, false).bytes();
        overfull[48 + 20] = 13;  // captured length 13 in a block with room for 12
        assertThat(failure(overfull)).isEqualTo(
                "enhanced packet block at offset 48 has 13 bytes of packet data in a block of 44 bytes");
    }

    @Test
    void packetsMustReferToAnInterfaceOfTheirSection() throws IOException {
        assertThat(failure(pcapng(LITTLE_ENDIAN).spb(PAYLOAD, 10).bytes()))
                .isEqualTo("simple packet block at offset 28 before any interface description");
        assertThat(failure(pcapng(LITTLE_ENDIAN).idb(1, 0, null, null, false).epb(1, 0, PAYLOAD, 10, false).bytes()))
                .isEqualTo("enhanced packet block at offset 48 refers to interface 1 but the section has 1");
        // a new section forgets the interfaces of the one before
        assertThat(failure(pcapng(LITTLE_ENDIAN).idb(1, 0, null, null, false).shb(BIG_ENDIAN, 1, 0, false)
                .pb(0, 0, PAYLOAD, 10).bytes()))
                .isEqualTo("packet block at offset 76 refers to interface 0 but the section has 0");
    }

    @Test
    void interfacesAreNumberedOverTheWholeFile() throws IOException {
        byte[] bytes = pcapng(LITTLE_ENDIAN).idb(1, 0, null, null, false).idb(113, 0, null, null, false)
                .epb(1, 0, PAYLOAD, 10, false)
                .shb(BIG_ENDIAN, 1, 0, true).idb(101, 64, 9, 10L, true).epb(0, 7, PAYLOAD, 10, false)
                .spb(PAYLOAD, 10).bytes();
        RecordingSink sink = readAllWays(bytes);
        assertThat(sink.frames).extracting(RecordingSink.Copy::interfaceId).containsExactly(1, 2, 2);
        assertThat(sink.frames).extracting(RecordingSink.Copy::linkType).containsExactly(113, 101, 101);
        assertThat(sink.frames.get(1).timestampNanos()).isEqualTo(10_000_000_007L);
        assertThat(sink.frames.get(2).timestampNanos()).isEqualTo(Long.MIN_VALUE);
        CaptureInfo info = CaptureFiles.read("x", bytes, FrameSinks.IGNORE);
        assertThat(info.sections()).isEqualTo(2);
        assertThat(info.interfaces()).containsExactly(
                new CaptureInfo.Interface(0, 1, 1, 0, 6, 0),
                new CaptureInfo.Interface(1, 1, 113, 0, 6, 1),
                new CaptureInfo.Interface(2, 2, 101, 64, 9, 2));
    }

    @Test
    void laterSectionWithUnknownVersionFailsAfterTheGoodPackets() throws IOException {
        byte[] bytes = pcapng(LITTLE_ENDIAN).idb(1, 0, null, null, false).epb(0, 0, PAYLOAD, 10, false)
                .shb(LITTLE_ENDIAN, 2, 0, false).idb(1, 0, null, null, false).epb(0, 0, PAYLOAD, 10, false).bytes();
        RecordingSink sink = new RecordingSink();
        assertThat(messageOf(() -> CaptureFiles.read("v2", bytes, sink)))
                .isEqualTo("v2: pcapng version 2.0 (section 2 at offset 92) is not supported (only 1.x)");
        assertThat(sink.frames).hasSize(1);
    }

    @Test
    void interfaceCountIsCapped() throws IOException {
        TestCaptureWriter w = pcapng(LITTLE_ENDIAN);
        for (int i = 0; i < InterfaceTable.MAX_INTERFACES; i++) {
            w.idb(1, 0, null, null, false);
        }
        CaptureInfo info = CaptureFiles.read("many", w.bytes(), FrameSinks.IGNORE);
        assertThat(info.interfaces()).hasSize(InterfaceTable.MAX_INTERFACES);
        w.idb(1, 0, null, null, false);
        assertThat(messageOf(() -> CaptureFiles.read("many", w.bytes(), FrameSinks.IGNORE)))
                .isEqualTo("many: more than 65536 interface description blocks");
    }

    @Test
    void bigUnknownBlocksAreSkippedWithoutBufferingThem() throws IOException {
        byte[] body = new byte[40 << 20];  // more than a stream buffers: must be skipped, not read whole
        byte[] bytes = pcapng(LITTLE_ENDIAN).idb(1, 0, null, null, false).block(0x0BAD, body)
                .epb(0, 0, PAYLOAD, 10, false).bytes();
        assertThat(readAllWays(bytes).frames).hasSize(1);
    }

    @Test
    void malformedOptionsDoNotStopTheFile() throws IOException {
        // if_tsresol option whose length runs past the block: the options are dropped, the packets are read
        byte[] bytes = pcapng(LITTLE_ENDIAN).block(1, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 100, 0, 3, 0, 0, 0})
                .epb(0, 1, PAYLOAD, 10, false).bytes();
        RecordingSink sink = readAllWays(bytes);
        assertThat(sink.frames.getFirst().timestampNanos()).isEqualTo(1000);
    }

    @Test
    void standardInputIsDash() throws IOException {
        byte[] bytes = SharedPcapsConformanceTest.gzip(pcap().record(3, 4, PAYLOAD, 10, false).bytes());
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(bytes));
            RecordingSink sink = new RecordingSink();
            CaptureInfo info = CaptureFiles.read("-", sink);
            assertThat(info.name()).isEqualTo("stdin");
            assertThat(info.gzipped()).isTrue();
            assertThat(sink.frames).containsExactly(new RecordingSink.Copy(1, 3_000_004_000L, 0, 10, PAYLOAD));
            System.setIn(new ByteArrayInputStream(new byte[0]));
            assertThat(messageOf(() -> CaptureFiles.read("-", sink))).isEqualTo("stdin: empty file");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void missingFilesAndDirectoriesSaySo() {
        String missing = dir.resolve("nope.pcap").toString();
        assertThat(messageOf(() -> CaptureFiles.read(missing, new RecordingSink()))).isEqualTo(missing + ": no such file");
        assertThat(messageOf(() -> CaptureFiles.read(dir.toString(), new RecordingSink())))
                .isEqualTo(dir + ": is a directory");
    }

    @Test
    void timestampConversionsSaturateInsteadOfOverflowing() {
        assertThat(InterfaceTable.binaryToNanos(1L << 30, 30)).isEqualTo(1_000_000_000L);
        assertThat(InterfaceTable.binaryToNanos(-1L, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(InterfaceTable.binaryToNanos(-1L, 127)).isZero();
        assertThat(InterfaceTable.binaryToNanos(-1L, 64)).isEqualTo(999_999_999L);
        assertThat(InterfaceTable.saturatingAdd(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(InterfaceTable.saturatingAdd(Long.MIN_VALUE + 1, -1)).isEqualTo(Long.MIN_VALUE + 1);
        assertThat(InterfaceTable.saturatingMultiply(Long.MIN_VALUE, 1_000_000_000L)).isEqualTo(Long.MIN_VALUE + 1);
        InterfaceTable t = new InterfaceTable();
        t.add(1, 1, 0, 127, 0);          // 10^-127 s
        t.add(1, 1, 0, 28, 0);           // 10^-28 s: a divisor of 10^19, only valid unsigned
        t.add(1, 1, 0, 0, Long.MAX_VALUE);
        assertThat(t.toNanos(0, -1L)).isZero();
        assertThat(t.toNanos(1, -1L)).isEqualTo(1);
        assertThat(t.toNanos(2, 5)).isEqualTo(Long.MAX_VALUE);
    }
}
