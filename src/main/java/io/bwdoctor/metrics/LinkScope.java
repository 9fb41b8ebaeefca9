package io.bwdoctor.metrics;

/**
 * The guard's split of one interface's traffic by where the other end is: public (internet, what a transit cap
 * counts) or private (RFC 1918, ULA, link-local: usually free). Both byte counts are cumulative since the guard
 * started; {@code publicBps} is the last second's public bits per second (the busier direction), the figure the guard
 * compares with the cap.
 */
public record LinkScope(long publicBytes, long privateBytes, long publicBps) {}
