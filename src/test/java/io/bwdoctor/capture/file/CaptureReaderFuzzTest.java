package io.bwdoctor.capture.file;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bwdoctor.capture.file.SharedPcapsConformanceTest.ChunkedStream;
import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary bytes, read in place from an array and through a stream in small chunks: the only failure allowed is a
 * {@link CaptureFileException}; anything else (out-of-bounds access, arithmetic error, state error) is a bug, as is
 * a frame outside its segment or the two ways disagreeing. `mvn test` replays the seeds and the reproducers in
 * src/test/resources/.../CaptureReaderFuzzTestInputs; JAZZER_FUZZ=1 searches for new ones.
 */
class CaptureReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void readArbitraryBytes(byte[] data) {
        Outcome inPlace = read(data, false);
        Outcome streamed = read(data, true);
        boolean gzip = data.length >= 2 && data[0] == (byte) 0x1f && data[1] == (byte) 0x8b;
        if (gzip && (inPlace.error != null || streamed.error != null)) {
            // corrupt compressed data shows up after more or fewer frames depending on how much is inflated at once
            assertThat(inPlace.error).isNotNull();
            assertThat(streamed.error).isNotNull();
        } else {
            assertThat(streamed).isEqualTo(inPlace);
        }
    }

    /** Everything observable about one read. */
    private record Outcome(long packets, long wireBytes, long capturedBytes, long contentHash,
                           List<String> unreadable, String error, long infoPackets) {}

    private static Outcome read(byte[] data, boolean stream) {
        HashingSink sink = new HashingSink();
        String error = null;
        CaptureInfo info = null;
        try (CaptureReader reader = stream
                ? CaptureFiles.open("fuzz", new ChunkedStream(data, 1 + data.length % 13))
                : CaptureFiles.open("fuzz", data)) {
            info = reader.info();
            reader.readAll(sink);
        } catch (CaptureFileException e) {
            error = e.getMessage();
            assertThat(error).startsWith("fuzz: ").doesNotContain("\n");
        }
        if (info != null) {
            assertThat(info.packets()).isEqualTo(sink.packets);
            assertThat(info.wireBytes()).isEqualTo(sink.wireBytes);
            assertThat(info.capturedBytes()).isEqualTo(sink.capturedBytes);
        }
        return new Outcome(sink.packets, sink.wireBytes, sink.capturedBytes, sink.hash, sink.unreadable, error,
                info == null ? -1 : info.packets());
    }

    /** Touches every captured byte (so a frame pointing outside its data fails) and hashes it all. */
    private static final class HashingSink implements FrameSink {
        long packets;
        long wireBytes;
        long capturedBytes;
        long hash = 17;
        final List<String> unreadable = new ArrayList<>();

        @Override
        public void onFrame(Frame f) {
            assertThat(f.capturedLength).isNotNegative();
            assertThat(f.wireLength).isNotNegative();
            assertThat(f.offset).isNotNegative();
            assertThat(f.offset + f.capturedLength).isLessThanOrEqualTo(f.data.byteSize());
            for (long i = 0; i < f.capturedLength; i++) {
                hash = hash * 31 + f.data.get(ValueLayout.JAVA_BYTE, f.offset + i);
            }
            hash = hash * 31 + f.linkType;
            hash = hash * 31 + f.timestampNanos;
            hash = hash * 31 + f.interfaceId;
            packets++;
            wireBytes += f.wireLength;
            capturedBytes += f.capturedLength;
        }

        @Override
        public void onUnreadableRecord(String reason, int wireLength) {
            unreadable.add(reason + "/" + wireLength);
        }
    }
}
