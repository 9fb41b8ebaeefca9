package io.bwdoctor.core.intel;

/**
 * Whether a remote address counts as Internet traffic (what a provider's public-bandwidth cap counts): by its
 * address class, unless the user's networks file gives its range a scope. Cheap enough for every packet: a class
 * test, and with user networks one longest-prefix search in a small table.
 */
@FunctionalInterface
public interface AddressScope {
    boolean isPublic(int version, long hi, long lo);

    /** By address class alone. */
    static AddressScope classes() {
        return (version, hi, lo) -> AddressClass.of(version, hi, lo).reachesInternet();
    }

    /** The user's {@code scope=public|private} first, then the address class. */
    static AddressScope of(UserNetworks networks) {
        if (networks.size() == 0) {
            return classes();
        }
        return (version, hi, lo) -> {
            UserNetworks.Network n = networks.find(version, hi, lo);
            return n != null && n.scope() != null ? n.scope().reachesInternet()
                    : AddressClass.of(version, hi, lo).reachesInternet();
        };
    }
}
