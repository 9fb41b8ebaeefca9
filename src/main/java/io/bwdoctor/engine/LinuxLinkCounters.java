package io.bwdoctor.engine;

import io.bwdoctor.platform.linux.InterfaceCounters;
import io.bwdoctor.platform.linux.ScopeCounters;

import java.io.IOException;
import java.util.Optional;

/** Linux: /proc/net/dev for the device, an nftables counter table for the public/private split (when it installs). */
final class LinuxLinkCounters implements LinkCounters {
    private final String iface;
    private final ScopeCounters scope;
    private final String gap;

    LinuxLinkCounters(String iface) {
        this.iface = iface;
        ScopeCounters s = null;
        String why = null;
        try {
            s = ScopeCounters.start(iface);
        } catch (IOException e) {
            why = e.getMessage();
        }
        this.scope = s;
        this.gap = why;
    }

    @Override
    public Optional<Reading> read() throws IOException {
        InterfaceCounters.Counters c = InterfaceCounters.read().get(iface);
        if (c == null) {
            return Optional.empty();
        }
        ScopeCounters.Reading r = scope == null ? null : scope.read();
        return Optional.of(new Reading(c.txBytes(), c.rxBytes(), r == null ? 0 : r.allTx(), r == null ? 0 : r.allRx(),
                r == null ? 0 : r.privateTx(), r == null ? 0 : r.privateRx()));
    }

    @Override
    public String scopeGap() {
        return gap;
    }

    @Override
    public void close() {
        if (scope != null) {
            scope.close();
        }
    }
}
