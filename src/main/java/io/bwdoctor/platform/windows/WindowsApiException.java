package io.bwdoctor.platform.windows;

import java.io.IOException;

/** A Windows API call failed; the message names the function and its error code, in one line. */
public final class WindowsApiException extends IOException {
    private final String function;
    private final int code;

    public WindowsApiException(String function, int code, String what) {
        super(function + " failed (error " + code + (code < 0 || code > 0xffff ? String.format(" = 0x%08X", code) : "")
                + "): " + what);
        this.function = function;
        this.code = code;
    }

    public String function() {
        return function;
    }

    public int code() {
        return code;
    }
}
