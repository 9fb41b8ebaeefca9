package io.bwdoctor.capture.file;

import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.FrameSink;

/** Sinks for tests. */
final class FrameSinks {
    static final FrameSink IGNORE = new FrameSink() {
        @Override
        public void onFrame(Frame frame) {
        }

        @Override
        public void onUnreadableRecord(String reason, int wireLength) {
        }
    };

    private FrameSinks() {}
}
