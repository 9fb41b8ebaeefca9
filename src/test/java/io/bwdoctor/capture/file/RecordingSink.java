package io.bwdoctor.capture.file;

import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test sink: copies every frame (the reader's Frame is only valid during the callback). */
final class RecordingSink implements FrameSink {
    record Copy(int linkType, long timestampNanos, int interfaceId, int wireLength, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Copy c && c.linkType == linkType && c.timestampNanos == timestampNanos
                    && c.interfaceId == interfaceId && c.wireLength == wireLength && Arrays.equals(c.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + Long.hashCode(timestampNanos);
        }

        @Override
        public String toString() {
            return "Copy[link=" + linkType + ", ts=" + timestampNanos + ", if=" + interfaceId + ", wire="
                    + wireLength + ", cap=" + data.length + "]";
        }
    }

    record Unreadable(String reason, int wireLength) {}

    final List<Copy> frames = new ArrayList<>();
    final List<Unreadable> unreadable = new ArrayList<>();
    long wireBytes;
    long capturedBytes;

    @Override
    public void onFrame(Frame f) {
        byte[] bytes = f.data.asSlice(f.offset, f.capturedLength).toArray(ValueLayout.JAVA_BYTE);
        frames.add(new Copy(f.linkType, f.timestampNanos, f.interfaceId, f.wireLength, bytes));
        wireBytes += f.wireLength;
        capturedBytes += f.capturedLength;
    }

    @Override
    public void onUnreadableRecord(String reason, int wireLength) {
        unreadable.add(new Unreadable(reason, wireLength));
    }
}
