package io.bwdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.storage.IncidentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** `incidents list|show|export` in every format, against a database written by the store; and the error exits. */
class IncidentsCommandTest {
    private static final long T0 = 1_789_999_980_000L; // 2026-09-21T14:13:00Z
    private static final String EVIL = "rclone\u001b[31m|*x*\u202e";

    @TempDir
    static Path dir;
    static Path db;
    static long closedId;
    static long openId;
    static long badReportId;

    @BeforeAll
    static void recordIncidents() throws Exception {
        db = dir.resolve("bwdoctor.db");
        List<Incident.Sample> timeline = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            timeline.add(new Incident.Sample(T0 / 1000 + i, 900_000_000L + i, 20_000_000L, 880_000_000L));
        }
        Incident.Culprit backup = new Incident.Culprit(4242, EVIL, "/usr/bin/rclone", "backup", 0.92,
                List.of("writes to 203.0.113.7:443 at 850 Mb/s", "started by cron at 02:00 | <b>"), 95_000_000_000L,
                120_000_000L);
        Incident.Culprit web = new Incident.Culprit(17, "nginx", "/usr/sbin/nginx", "serving", 0.6,
                List.of("listens on :443"), 2_000_000_000L, 300_000_000L);
        try (IncidentStore store = IncidentStore.open(db)) {
            closedId = store.open(new Incident(0, T0, null, "eth0", 1_000_000_000L, 0.994, 994_000_000L, timeline,
                    List.of(backup, web), List.of("throttle rclone: --bwlimit 400M", "move the backup window"),
                    "{\"by\":\"process\",\"rows\":[{\"pid\":4242,\"bytes\":95000000000}]}"));
            store.close(closedId, T0 + 95_000, null);
            badReportId = store.open(new Incident(0, T0 + 200_000, null, "eth1", null, 0, 5, List.of(), List.of(),
                    List.of(), "{not json"));
            store.close(badReportId, T0 + 201_000, "closed when the guard restarted");
            openId = store.open(new Incident(0, T0 + 600_000, null, "eth0", 1_000_000_000L, 1.2, 1_200_000_000L,
                    timeline.subList(0, 2), List.of(web), List.of(), null));
        }
    }

    private static AnalyzeCommandTest.Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db", db.toString()));
        return AnalyzeCommandTest.run(all.toArray(String[]::new));
    }

    private static void assertTerminalSafe(String text) {
        assertThat(text).doesNotContain("\u001b", "\u202e");
    }

    @Test
    void listsNewestFirstInEachFormat() {
        AnalyzeCommandTest.Run table = run("incidents", "list");
        assertThat(table.exit()).as(table.err()).isZero();
        assertTerminalSafe(table.out());
        List<String> lines = table.out().lines().toList();
        assertThat(lines.getFirst()).contains("ID", "START", "PEAK", "TOP CULPRIT");
        assertThat(lines.get(1)).contains(Long.toString(openId), "open", "1.20 Gb/s", "120 %");
        assertThat(lines.get(3)).contains(Long.toString(closedId), "2026-09-21 14:13:00 UTC", "1 min 35 s", "994 Mb/s",
                "99 %", "rclone\\x1b[31m", "+1", "closed");
        assertThat(lines.get(2)).contains("closed: closed when the guard restarted");

        JsonNode json = JsonMapper.builder().build().readTree(run("incidents", "list", "--format", "json").out());
        assertThat(json.get("incidents")).hasSize(3);
        JsonNode last = json.get("incidents").get(2);
        assertThat(last.get("id").asLong()).isEqualTo(closedId);
        assertThat(last.get("top_culprit").asString()).isEqualTo(EVIL);
        assertThat(last.get("culprit_count").asInt()).isEqualTo(2);
        assertThat(json.get("incidents").get(0).get("open").asBoolean()).isTrue();
        assertThat(json.get("incidents").get(0).get("end").isNull()).isTrue();

        AnalyzeCommandTest.Run md = run("incidents", "list", "--format", "markdown", "--limit", "1");
        assertThat(md.out()).startsWith("| ID |").contains("| " + openId + " |").doesNotContain("| " + closedId + " |");
    }

    @Test
    void exportsEverythingAsJsonWithTheReportEmbedded() {
        AnalyzeCommandTest.Run run = run("incidents", "export", Long.toString(closedId));
        assertThat(run.exit()).as(run.err()).isZero();
        assertTerminalSafe(run.out());
        JsonNode j = JsonMapper.builder().build().readTree(run.out());
        assertThat(j.get("id").asLong()).isEqualTo(closedId);
        assertThat(j.get("start").asString()).isEqualTo("2026-09-21T14:13:00Z");
        assertThat(j.get("start_millis").asLong()).isEqualTo(T0);
        assertThat(j.get("end").asString()).isEqualTo("2026-09-21T14:14:35Z");
        assertThat(j.get("end_millis").asLong()).isEqualTo(T0 + 95_000);
        assertThat(j.get("duration_seconds").asDouble()).isEqualTo(95.0);
        assertThat(j.get("iface").asString()).isEqualTo("eth0");
        assertThat(j.get("cap_bps").asLong()).isEqualTo(1_000_000_000L);
        assertThat(j.get("peak_utilisation").asDouble()).isEqualTo(0.994);
        assertThat(j.get("peak_bps").asLong()).isEqualTo(994_000_000L);
        assertThat(j.get("timeline")).hasSize(95);
        JsonNode second = j.get("timeline").get(1);
        assertThat(second.get("time").asString()).isEqualTo("2026-09-21T14:13:01Z");
        assertThat(second.get("tx_bps").asLong()).isEqualTo(900_000_001L);
        assertThat(second.get("public_bps").asLong()).isEqualTo(880_000_000L);
        JsonNode c = j.get("culprits").get(0);
        assertThat(c.get("pid").asInt()).isEqualTo(4242);
        assertThat(c.get("name").asString()).isEqualTo(EVIL);
        assertThat(c.get("exe").asString()).isEqualTo("/usr/bin/rclone");
        assertThat(c.get("verdict").asString()).isEqualTo("backup");
        assertThat(c.get("confidence").asDouble()).isEqualTo(0.92);
        assertThat(c.get("evidence")).hasSize(2);
        assertThat(c.get("tx_bytes").asLong()).isEqualTo(95_000_000_000L);
        assertThat(c.get("rx_bytes").asLong()).isEqualTo(120_000_000L);
        assertThat(j.get("actions").get(0).asString()).isEqualTo("throttle rclone: --bwlimit 400M");
        assertThat(j.get("report").isObject()).isTrue();
        assertThat(j.get("report").get("rows").get(0).get("pid").asInt()).isEqualTo(4242);
        assertThat(j.has("report_unparsed")).isFalse();

        JsonNode bad = JsonMapper.builder().build().readTree(
                run("incidents", "export", Long.toString(badReportId)).out());
        assertThat(bad.get("report").isNull()).isTrue();
        assertThat(bad.get("report_unparsed").asString()).isEqualTo("{not json");
        assertThat(bad.get("cap_bps").isNull()).isTrue();
        assertThat(bad.get("note").asString()).isEqualTo("closed when the guard restarted");
    }

    @Test
    void showsAnIncidentForPeopleAndAsATicket() {
        AnalyzeCommandTest.Run show = run("incidents", "show", Long.toString(closedId));
        assertThat(show.exit()).as(show.err()).isZero();
        assertTerminalSafe(show.out());
        assertThat(show.out()).contains("Incident #" + closedId + " on eth0", "1 min 35 s", "99 % of the 1.00 Gb/s cap",
                "4242", "backup", "92%", "95.0 GB", "writes to 203.0.113.7:443",
                "Timeline (95 s, busiest second of every 4)",
                "1. throttle rclone: --bwlimit 400M", "incidents export " + closedId);
        assertThat(run("incidents", "show", Long.toString(openId)).out()).contains("still open");

        AnalyzeCommandTest.Run md = run("incidents", "export", Long.toString(closedId), "--format", "markdown");
        assertThat(md.exit()).isZero();
        assertTerminalSafe(md.out());
        assertThat(md.out()).startsWith("### Bandwidth incident #" + closedId + " on eth0: 99 % of the 1.00 Gb/s cap")
                .contains("| PID | Process | Verdict |",
                        "| 4242 | rclone\\\\x1b\\[31m\\|\\*x\\*\\\\u{202e} | backup | 92 % |",
                        "#### Evidence", "  - started by cron at 02:00 \\| \\<b\\>", "#### Actions",
                        "1. throttle rclone: --bwlimit 400M");
        assertThat(run("incidents", "show", Long.toString(closedId), "--format", "json").out())
                .startsWith("{\"id\":" + closedId);
    }

    @Test
    void errorsAreOneLineWithExitCodes(@TempDir Path other) throws Exception {
        AnalyzeCommandTest.Run missing = AnalyzeCommandTest.run("incidents", "list", "--db",
                other.resolve("nope.db").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("bwdoctor: no incident database at ").doesNotContain("\n");
        assertThat(other.resolve("nope.db")).doesNotExist();

        AnalyzeCommandTest.Run unknown = run("incidents", "show", "99999");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("bwdoctor: no incident 99999 in ");
        assertThat(unknown.out()).isEmpty();

        Path garbage = Files.writeString(other.resolve("garbage.db"), "garbage, not SQLite. ".repeat(100));
        AnalyzeCommandTest.Run notDb = AnalyzeCommandTest.run("incidents", "export", "1", "--db", garbage.toString());
        assertThat(notDb.exit()).isEqualTo(1);
        assertThat(notDb.err()).contains("not an SQLite database").doesNotContain("\tat ");

        assertThat(run("incidents", "list", "--format", "yaml").exit()).isEqualTo(2);
        assertThat(run("incidents", "list", "--limit", "0").exit()).isEqualTo(2);
        assertThat(run("incidents", "show").exit()).isEqualTo(2);
        assertThat(AnalyzeCommandTest.run("incidents").out()).contains("list", "show", "export");
    }
}
