package io.bwdoctor.core.intel;

/** The one lookup the rest of the program uses for remote addresses (word form as in core.attribution.IpWords). */
public interface RemoteIntel {
    RemoteInfo lookup(int version, long hi, long lo);
}
