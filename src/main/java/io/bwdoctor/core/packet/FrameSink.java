package io.bwdoctor.core.packet;

/** Receives frames from a capture source (file reader or live capture). */
public interface FrameSink {
    /** A frame; the {@link Frame} and its data are only valid during this call. */
    void onFrame(Frame frame);

    /**
     * A record the reader could not turn into a frame (for example cut off at the end of a file) but whose
     * existence it knows: counted as skipped so that nothing disappears without a trace.
     *
     * @param wireLength the record's original length if known, else its captured length, else 0
     */
    void onUnreadableRecord(String reason, int wireLength);
}
