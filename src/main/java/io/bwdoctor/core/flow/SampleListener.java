package io.bwdoctor.core.flow;

/** Receives each row's counts for a second that has just closed (feeds aggregate views). */
@FunctionalInterface
public interface SampleListener {
    void onSample(FlowTable table, int row, long second, int packetsAB, long bytesAB, int packetsBA, long bytesBA);
}
