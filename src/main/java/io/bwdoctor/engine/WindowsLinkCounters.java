package io.bwdoctor.engine;

import io.bwdoctor.platform.windows.IfTable;
import io.bwdoctor.platform.windows.WindowsInterfaces;

import java.io.IOException;
import java.util.Optional;

/**
 * Windows: the interface's InOctets/OutOctets from GetIfTable2, matched by alias. No public/private split: Windows
 * has no counters per destination scope that bwdoctor installs (nothing like the nftables table on Linux).
 */
final class WindowsLinkCounters implements LinkCounters {
    static final String GAP = "Windows: no per-scope kernel counters";

    private final String alias;

    WindowsLinkCounters(String alias) {
        this.alias = alias;
    }

    @Override
    public Optional<Reading> read() throws IOException {
        return IfTable.byAlias(WindowsInterfaces.read(), alias)
                .map(r -> new Reading(r.outOctets(), r.inOctets(), 0, 0, 0, 0));
    }

    @Override
    public String scopeGap() {
        return GAP;
    }

    @Override
    public void close() {
        // nothing installed
    }
}
