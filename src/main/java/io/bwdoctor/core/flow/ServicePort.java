package io.bwdoctor.core.flow;

/** Which side of a conversation is the service: the well-known port, else the side the first packet went to. */
final class ServicePort {
    private static final int EPHEMERAL_START = 1024;

    private ServicePort() {}

    static boolean serviceIsA(int aPort, int bPort) {
        if (aPort < 0 || bPort < 0) {
            return false;
        }
        boolean aWellKnown = aPort < EPHEMERAL_START;
        boolean bWellKnown = bPort < EPHEMERAL_START;
        return aWellKnown && !bWellKnown;
    }
}
