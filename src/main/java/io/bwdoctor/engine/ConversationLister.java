package io.bwdoctor.engine;

import io.bwdoctor.core.flow.FlowTable;
import io.bwdoctor.core.live.ConversationSummary;
import io.bwdoctor.core.live.Owner;
import java.util.ArrayList;
import java.util.List;

/** Lists the conversation table from the local host's side: which end is remote, who opened it, who owns it. */
final class ConversationLister {
    private final FlowTable table;
    private final LocalAddresses local;
    private final StratumSightings stratum;

    ConversationLister(FlowTable table, LocalAddresses local, StratumSightings stratum) {
        this.table = table;
        this.local = local;
        this.stratum = stratum;
    }

    List<ConversationSummary> list() {
        List<ConversationSummary> out = new ArrayList<>();
        for (int r = 0; r < table.size(); r++) {
            if ((table.flags(r) & (FlowTable.FLAG_INNER | FlowTable.FLAG_FOLDED_ALL)) != 0) {
                continue;
            }
            int code = table.owner(r);
            int side = Owner.side(code);
            boolean localIsA = side == Owner.SIDE_UNKNOWN
                    ? local.contains(table.version(r), table.aHi(r), table.aLo(r)) : side == Owner.SIDE_A;
            int tx = localIsA ? 0 : 1;
            boolean process = Owner.isProcess(code);
            long rHi = localIsA ? table.bHi(r) : table.aHi(r);
            long rLo = localIsA ? table.bLo(r) : table.aLo(r);
            int rPort = localIsA ? table.bPort(r) : table.aPort(r);
            int lPort = localIsA ? table.aPort(r) : table.bPort(r);
            out.add(new ConversationSummary(process ? Owner.pid(code) : -1,
                    process ? null : Owner.reason(code).key(), table.protocol(r), table.version(r), rHi, rLo, rPort,
                    lPort, !localIsA, table.bytes(r, tx), table.bytes(r, 1 - tx), table.packets(r, tx),
                    table.packets(r, 1 - tx), stratum.method(table.version(r), table.aHi(r), table.aLo(r),
                    table.aPort(r), table.bHi(r), table.bLo(r), table.bPort(r))));
        }
        return out;
    }
}
