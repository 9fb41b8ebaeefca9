package io.bwdoctor.core.flow;

import java.util.EnumMap;
import java.util.Map;

/**
 * Aggregate views fed from the conversation table one closed second at a time, so that each view row has exact
 * totals and its own sliding windows and peak (a host's peak is the peak of its summed traffic, not a sum of peaks).
 */
public final class ViewTables implements SampleListener {
    private final Map<View, FlowTable> tables = new EnumMap<>(View.class);

    public ViewTables(Iterable<View> views, int maxRows) {
        for (View v : views) {
            if (v != View.CONVERSATION) {
                tables.put(v, v == View.PAIR ? new FlowTable(maxRows, null) : FlowTable.oneEnded(maxRows));
            }
        }
    }

    public FlowTable table(View view) {
        return tables.get(view);
    }

    public void closeOpenSecond() {
        for (FlowTable t : tables.values()) {
            t.closeOpenSecond();
        }
    }

    public void advanceTo(long second) {
        for (FlowTable t : tables.values()) {
            t.advanceTo(second);
        }
    }

    @Override
    public void onSample(FlowTable c, int row, long second, int pAB, long bAB, int pBA, long bBA) {
        int version = c.version(row);
        int flags = c.flags(row) & FlowTable.FLAG_INNER;
        long first = c.firstNanos(row);
        long last = c.lastNanos(row);
        FlowTable pair = tables.get(View.PAIR);
        if (pair != null) {
            pair.addSample(version, 0, flags, c.aHi(row), c.aLo(row), FlowTable.NO_PORT, c.bHi(row), c.bLo(row),
                    FlowTable.NO_PORT, second, pAB, bAB, pBA, bBA, first, last);
        }
        FlowTable host = tables.get(View.HOST);
        if (host != null) { // direction 0 of a host row is what the host sent
            host.addSample(version, 0, flags, c.aHi(row), c.aLo(row), FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT,
                    second, pAB, bAB, pBA, bBA, first, last);
            host.addSample(version, 0, flags, c.bHi(row), c.bLo(row), FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT,
                    second, pBA, bBA, pAB, bAB, first, last);
        }
        FlowTable port = tables.get(View.PORT);
        if (port != null) { // direction 0 of a port row is toward the service
            boolean serviceIsA = ServicePort.serviceIsA(c.aPort(row), c.bPort(row));
            int service = serviceIsA ? c.aPort(row) : c.bPort(row);
            if (serviceIsA) {
                port.addSample(0, c.protocol(row), flags, 0, 0, service, 0, 0, FlowTable.NO_PORT, second,
                        pBA, bBA, pAB, bAB, first, last);
            } else {
                port.addSample(0, c.protocol(row), flags, 0, 0, service, 0, 0, FlowTable.NO_PORT, second,
                        pAB, bAB, pBA, bBA, first, last);
            }
        }
        FlowTable protocol = tables.get(View.PROTOCOL);
        if (protocol != null) {
            protocol.addSample(version, c.protocol(row), flags, 0, 0, FlowTable.NO_PORT, 0, 0, FlowTable.NO_PORT,
                    second, pAB, bAB, pBA, bBA, first, last);
        }
    }
}
