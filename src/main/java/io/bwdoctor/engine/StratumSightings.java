package io.bwdoctor.engine;

import io.bwdoctor.core.packet.Frame;
import io.bwdoctor.core.packet.IpLayer;
import io.bwdoctor.core.verdict.StratumDetector;
import java.util.HashMap;
import java.util.Map;

/** Conversations in which a Stratum message was seen, keyed by their endpoints (bounded; capture thread writes). */
final class StratumSightings {
    private static final int MAX = 4096;

    record Key(int version, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        /** The same key whichever end sent the packet. */
        static Key of(int version, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort) {
            boolean sFirst = Long.compareUnsigned(sHi, dHi) < 0 || (sHi == dHi && (Long.compareUnsigned(sLo, dLo) < 0
                    || (sLo == dLo && sPort <= dPort)));
            return sFirst ? new Key(version, sHi, sLo, sPort, dHi, dLo, dPort)
                    : new Key(version, dHi, dLo, dPort, sHi, sLo, sPort);
        }
    }

    private final Map<Key, String> methods = new HashMap<>();

    void inspect(Frame frame, IpLayer ip) {
        long end = frame.offset + frame.capturedLength;
        int available = (int) Math.min(ip.payloadLength, end - ip.payloadOffset);
        if (available <= 0 || methods.size() >= MAX) {
            return;
        }
        String method = StratumDetector.method(frame.data, ip.payloadOffset, available);
        if (method != null) {
            methods.putIfAbsent(Key.of(ip.version, ip.srcHi, ip.srcLo, ip.srcPort, ip.dstHi, ip.dstLo, ip.dstPort),
                    method);
        }
    }

    String method(int version, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        return methods.isEmpty() ? null : methods.get(Key.of(version, aHi, aLo, aPort, bHi, bLo, bPort));
    }
}
