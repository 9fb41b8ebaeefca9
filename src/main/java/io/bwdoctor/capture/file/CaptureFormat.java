package io.bwdoctor.capture.file;

/** Container formats the readers understand, as recognised by their magic number. */
public enum CaptureFormat {
    PCAP("pcap"),
    PCAP_NANOSECOND("pcap (nanosecond)"),
    /** Alexey Kuznetzov's modified pcap (magic a1b2cd34): 8 more bytes per record header. */
    PCAP_MODIFIED("pcap (modified)"),
    PCAPNG("pcapng");

    private final String displayName;

    CaptureFormat(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
