package io.bwdoctor.cli.diagnose;

import io.bwdoctor.core.diagnose.Diagnosis;
import io.bwdoctor.core.live.Rates;
import io.bwdoctor.core.verdict.Evidence;
import io.bwdoctor.core.verdict.Remote;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The diagnosis as one JSON document (docs/JSON.md, "diagnose"). Field names are stable; strings are raw (JSON
 * escaping makes them safe to parse; consumers displaying them must sanitize for their medium).
 */
final class JsonReport {
    static final int FORMAT_VERSION = 1;
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private JsonReport() {}

    static void write(Diagnosis d, Texts texts, OutputStream out) {
        MAPPER.writeValue(out, document(d, texts));
    }

    static String string(Diagnosis d, Texts texts) {
        return MAPPER.writeValueAsString(document(d, texts));
    }

    static Map<String, Object> document(Diagnosis d, Texts texts) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "bwdoctor-diagnose");
        doc.put("version", FORMAT_VERSION);
        doc.put("outcome", d.outcome().key());
        doc.put("exit_code", d.outcome().exitCode());
        doc.put("host", d.host());
        doc.put("started", Instant.ofEpochMilli(d.startedMillis()).toString());
        doc.put("seconds", Math.round(d.seconds() * 10) / 10.0);
        doc.put("home_country", d.homeCountry());
        doc.put("cap_bps", d.capBps());
        doc.put("coverage", d.coverage());
        List<Object> processes = new ArrayList<>();
        for (Diagnosis.ProcessReport p : d.processes()) {
            processes.add(process(p, texts, d.hostNames()));
        }
        doc.put("processes", processes);
        doc.put("link", link(d));
        doc.put("interfaces", interfaces(d));
        Map<String, Object> un = new LinkedHashMap<>();
        un.put("tx_bytes", d.unattributed().txBytes());
        un.put("rx_bytes", d.unattributed().rxBytes());
        un.put("bytes_by_reason", d.unattributed().bytesByReason());
        doc.put("unattributed", un);
        List<Object> actions = new ArrayList<>();
        for (Diagnosis.Action a : d.actions()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("priority", a.priority());
            m.put("action", a.key());
            m.put("pid", a.pid() < 0 ? null : a.pid());
            m.put("text", texts.action(a, v -> v));
            m.put("commands", a.commands());
            m.put("facts", new java.util.TreeMap<>(a.facts()));
            actions.add(m);
        }
        doc.put("actions", actions);
        List<Object> findings = new ArrayList<>();
        for (Diagnosis.Finding f : d.findings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.key());
            m.put("path", f.path());
            m.put("line", f.line());
            m.put("text", f.text());
            m.put("pid", f.pid() < 0 ? null : f.pid());
            findings.add(m);
        }
        doc.put("findings", findings);
        return doc;
    }

    private static Map<String, Object> process(Diagnosis.ProcessReport p, Texts texts, Map<String, String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", p.facts().pid());
        m.put("ppid", p.facts().ppid());
        m.put("name", p.facts().name());
        m.put("exe", p.facts().exe());
        m.put("exe_deleted", p.facts().exeDeleted());
        m.put("cmdline", String.join(" ", p.facts().cmdline()));
        m.put("user", p.facts().user());
        m.put("parent", p.facts().parentName());
        m.put("package", p.facts().packageOwner());
        m.put("unit", p.facts().unit());
        m.put("container", p.facts().container());
        m.put("exited", p.exited());
        m.put("verdict", p.classification().verdict().key());
        m.put("kind", p.classification().kind());
        m.put("confidence", p.classification().confidence());
        List<Object> evidence = new ArrayList<>();
        for (Evidence e : p.classification().evidence()) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("rule", e.rule());
            ev.put("supports", e.points().key());
            ev.put("weight", e.weight());
            ev.put("text", texts.evidence(e));
            ev.put("source", e.source());
            ev.put("facts", new java.util.TreeMap<>(e.facts()));
            evidence.add(ev);
        }
        m.put("evidence", evidence);
        m.put("tx_bytes", p.rates().txBytes());
        m.put("rx_bytes", p.rates().rxBytes());
        m.put("tx_packets", p.rates().txPackets());
        m.put("rx_packets", p.rates().rxPackets());
        m.put("share", Math.round(p.share() * 1000) / 1000.0);
        m.put("peak_bps", p.rates().peakBps());
        m.put("remote_hosts", p.traffic().remoteHosts());
        m.put("remote_ports", p.traffic().remotePorts());
        m.put("conversations", p.traffic().conversations());
        m.put("inbound_served", p.traffic().inboundServed());
        m.put("unanswered_tcp", p.traffic().unansweredTcp());
        m.put("public_bytes", p.traffic().publicBytes());
        m.put("foreign_bytes", p.traffic().foreignBytes());
        m.put("foreign_share", p.traffic().publicBytes() == 0 ? null
                : Math.round(1000.0 * p.traffic().foreignBytes() / p.traffic().publicBytes()) / 1000.0);
        List<Object> remotes = new ArrayList<>();
        for (Remote r : p.remotes().subList(0, Math.min(20, p.remotes().size()))) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("address", r.address());
            if (names.containsKey(r.address())) {
                rm.put("host_name", names.get(r.address())); // only with --rdns
            }
            rm.put("port", r.port());
            rm.put("protocol", r.protocol());
            rm.put("class", r.addressClass() == null ? null : r.addressClass().key());
            rm.put("country", r.country());
            rm.put("asn", r.asn());
            rm.put("organisation", r.organisation());
            rm.put("network", r.network());
            rm.put("threat_lists", r.threatLists());
            rm.put("foreign", r.foreign());
            rm.put("tx_bytes", r.txBytes());
            rm.put("rx_bytes", r.rxBytes());
            rm.put("bytes", r.totalBytes());
            remotes.add(rm);
        }
        m.put("remotes", remotes);
        return m;
    }

    private static List<Object> interfaces(Diagnosis d) {
        List<Object> out = new ArrayList<>();
        for (Diagnosis.InterfaceReport i : d.link().interfaces()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", i.name());
            m.put("addresses", i.addresses());
            Rates r = i.rates();
            m.put("tx_bytes", r.txBytes());
            m.put("rx_bytes", r.rxBytes());
            m.put("tx_peak_bps", r.txPeakBps());
            m.put("rx_peak_bps", r.rxPeakBps());
            m.put("capture_dropped", i.captureDropped());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> link(Diagnosis d) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("public_tx_bytes", d.link().publicTxBytes());
        link.put("public_rx_bytes", d.link().publicRxBytes());
        link.put("private_tx_bytes", d.link().privateTxBytes());
        link.put("private_rx_bytes", d.link().privateRxBytes());
        link.put("public_tx_bps", d.link().publicTxBps());
        link.put("public_rx_bps", d.link().publicRxBps());
        link.put("public_peak_bps", d.link().publicPeakBps());
        link.put("utilisation", d.link().utilisation() == null ? null
                : Math.round(d.link().utilisation() * 1000) / 1000.0);
        return link;
    }
}
