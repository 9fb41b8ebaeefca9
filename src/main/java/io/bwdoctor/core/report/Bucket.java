package io.bwdoctor.core.report;

/** Packets and bytes of something that is not a row (skipped frames, non-IP frames, a link type...). */
public record Bucket(long packets, long bytes) {
}
