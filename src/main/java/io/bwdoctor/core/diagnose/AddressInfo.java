package io.bwdoctor.core.diagnose;

import io.bwdoctor.core.intel.AddressClass;
import java.util.List;

/** What is known about a remote address before we look at traffic: class, registration, user names, threat lists. */
public record AddressInfo(AddressClass addressClass, String country, Long asn, String organisation, String network,
                          List<String> threatLists) {
    public AddressInfo {
        threatLists = threatLists == null ? List.of() : List.copyOf(threatLists);
    }

    /** Looks addresses up in the project's word form (see core.attribution.IpWords). */
    @FunctionalInterface
    public interface Source {
        AddressInfo lookup(int version, long hi, long lo);

        /** What the sources could not load (a threat list skipped, installed data unusable), for the coverage. */
        default List<String> warnings() {
            return List.of();
        }
    }
}
