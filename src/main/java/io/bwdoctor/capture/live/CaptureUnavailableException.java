package io.bwdoctor.capture.live;

/**
 * Live capture cannot work on this host as things stand: libpcap/Npcap is not installed, or the process lacks the
 * privilege to capture. The message says what to do; front ends print it alone, without a stack trace.
 */
public final class CaptureUnavailableException extends CaptureException {
    public CaptureUnavailableException(String message) {
        super(message);
    }

    public CaptureUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
