package io.bwdoctor.core.intel;

/** The two kinds of geo data bwdoctor keeps, each in its own file. */
public enum GeoKind {
    COUNTRY('C'), ASN('A');

    private final char code;

    GeoKind(char code) {
        this.code = code;
    }

    /** The kind byte in the data file header. */
    public char code() {
        return code;
    }

    public String key() {
        return name().toLowerCase();
    }
}
