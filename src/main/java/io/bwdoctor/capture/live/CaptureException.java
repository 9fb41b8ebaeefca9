package io.bwdoctor.capture.live;

import java.io.IOException;

/** A capture could not be opened or failed while running; the message is a complete one-line explanation. */
public class CaptureException extends IOException {
    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
