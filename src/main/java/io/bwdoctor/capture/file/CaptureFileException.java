package io.bwdoctor.capture.file;

import java.io.IOException;

/** A capture file that cannot be read (or read further): the message names the file and the reason in one line. */
public final class CaptureFileException extends IOException {
    private final String file;
    private final String reason;

    public CaptureFileException(String file, String reason) {
        this(file, reason, null);
    }

    public CaptureFileException(String file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** The file name as the user gave it ("stdin" for standard input). */
    public String file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String reason() {
        return reason;
    }
}
