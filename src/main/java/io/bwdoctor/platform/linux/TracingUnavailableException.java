package io.bwdoctor.platform.linux;

import java.io.IOException;

/** Kernel-side tracing (eBPF) cannot run here; the message is one line: "eBPF socket tracing unavailable: why". */
public final class TracingUnavailableException extends IOException {
    TracingUnavailableException(String reason) {
        super("eBPF socket tracing unavailable: " + reason);
    }

    /** The reason without the common prefix. */
    public String reason() {
        return getMessage().substring("eBPF socket tracing unavailable: ".length());
    }
}
