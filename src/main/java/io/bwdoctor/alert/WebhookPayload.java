package io.bwdoctor.alert;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.text.Safe;

import java.time.Instant;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON body of one webhook post (documented in docs/ALERTS.md). Strings from the system are sanitized like
 * terminal output, and lists are bounded so that a payload stays a few kilobytes.
 */
final class WebhookPayload {
    static final int VERSION = 1;
    static final int MAX_CULPRITS = 10, MAX_EVIDENCE = 5, MAX_ACTIONS = 10, MAX_STRING = 512;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** What was not posted since the last delivered post. */
    record Missed(long rateLimited, long queueFull, long failed) {}

    private WebhookPayload() {}

    static String json(String event, String host, long eventMillis, Incident incident, Missed missed) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("event", event);
        root.put("host", text(host));
        root.put("time", Instant.ofEpochMilli(eventMillis).toString());
        root.put("summary", IncidentText.line(incident, event.equals(WebhookSink.OPENED)));
        ObjectNode i = root.putObject("incident");
        i.put("id", incident.id());
        i.put("start", Instant.ofEpochMilli(incident.startMillis()).toString());
        if (incident.endMillis() == null) {
            i.putNull("end");
        } else {
            i.put("end", Instant.ofEpochMilli(incident.endMillis()).toString());
        }
        i.put("iface", text(incident.iface()));
        if (incident.capBps() == null) {
            i.putNull("cap_bps");
        } else {
            i.put("cap_bps", incident.capBps().longValue());
        }
        i.put("peak_utilisation", incident.peakUtilisation());
        i.put("peak_bps", incident.peakBps());
        ArrayNode culprits = i.putArray("culprits");
        for (Incident.Culprit c : incident.culprits().subList(0, Math.min(MAX_CULPRITS, incident.culprits().size()))) {
            ObjectNode o = culprits.addObject();
            o.put("pid", c.pid());
            o.put("name", text(c.name()));
            o.put("exe", text(c.exe()));
            o.put("verdict", text(c.verdict()));
            o.put("confidence", c.confidence());
            ArrayNode evidence = o.putArray("evidence");
            c.evidence().stream().limit(MAX_EVIDENCE).forEach(e -> evidence.add(text(e)));
            o.put("tx_bytes", c.txBytes());
            o.put("rx_bytes", c.rxBytes());
        }
        ArrayNode actions = i.putArray("actions");
        incident.actions().stream().limit(MAX_ACTIONS).forEach(a -> actions.add(text(a)));
        ObjectNode m = root.putObject("missed");
        m.put("rate_limited", missed.rateLimited());
        m.put("queue_full", missed.queueFull());
        m.put("failed", missed.failed());
        return MAPPER.writeValueAsString(root);
    }

    private static String text(String s) {
        if (s == null) {
            return null;
        }
        String safe = Safe.terminal(s);
        return safe.length() > MAX_STRING ? safe.substring(0, MAX_STRING - 3) + "..." : safe;
    }
}
