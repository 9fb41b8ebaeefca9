package io.bwdoctor.platform.windows;

import io.bwdoctor.config.Rules;
import io.bwdoctor.core.verdict.Classification;
import io.bwdoctor.core.verdict.Classifier;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.ProcessFacts;
import io.bwdoctor.core.verdict.Subject;
import io.bwdoctor.core.verdict.TrafficFacts;
import io.bwdoctor.core.verdict.Verdict;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.toml.TomlMapper;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped rules (rules.toml + rules-windows.toml) over the recorded Windows Server process list: every
 * masquerade is abnormal, every genuine system process and cloud agent is recognised, and a name alone never
 * convicts.
 */
class WindowsVerdictsTest {
    private static final Classifier CLASSIFIER = new Classifier(Rules.shipped());

    private static Classification classify(ProcessFacts p) {
        return CLASSIFIER.classify(new Subject(p, TrafficFacts.NONE, null));
    }

    @Test
    void everyRecordedProcessGetsItsExpectedVerdict() {
        List<ProcessFixture> fixtures = ProcessFixture.load();
        List<ProcessFacts> facts = WindowsProcessFacts.of(fixtures.stream().map(ProcessFixture::process).toList());
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < fixtures.size(); i++) {
            Classification c = classify(facts.get(i));
            ProcessFixture f = fixtures.get(i);
            if (!c.verdict().key().equals(f.expect())) {
                wrong.add(f.process().pid() + " " + f.process().name() + ": expected " + f.expect() + " (" + f.why()
                        + "), got " + c.verdict().key() + " " + c.confidence() + " " + c.evidence().stream()
                        .map(e -> e.rule() + "=" + e.weight()).toList());
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(fixtures.stream().filter(f -> f.expect().equals("abnormal"))).hasSize(7);
        assertThat(fixtures.stream().filter(f -> f.expect().equals("cloud-agent"))).hasSize(7);
    }

    @Test
    void masqueradesAreExplainedByTheFactsThatGiveThemAway() {
        Map<Integer, ProcessFacts> byPid = new java.util.HashMap<>();
        WindowsProcessFacts.of(ProcessFixture.processes()).forEach(p -> byPid.put(p.pid(), p));
        assertThat(rules(byPid.get(4200))).contains("win-system-name-wrong-path", "win-svchost-parent",
                "win-svchost-without-group", "win-unsigned-suspicious-dir");
        assertThat(rules(byPid.get(4260))).contains("win-typosquat-name", "win-typosquat-unsigned",
                "win-claims-microsoft-unsigned");
        assertThat(rules(byPid.get(4320))).contains("win-lsass-parent", "win-system-process-user");
        assertThat(rules(byPid.get(4380))).contains("win-system-name-wrong-path", "win-session-process-parent",
                "win-unsigned-suspicious-dir");
        assertThat(rules(byPid.get(4440))).contains("miner-cmdline", "win-unsigned-user-writable");
        assertThat(classify(byPid.get(4440)).kind()).isEqualTo("miner");
        assertThat(rules(byPid.get(4500))).contains("win-agent-name-elsewhere", "win-unsigned-suspicious-dir");
        assertThat(rules(byPid.get(4560))).contains("win-signature-invalid").doesNotContain("win-aws-agent");
        // the genuine lsass is a core process; the csrss whose parent PID was reused is not blamed on notepad
        for (int genuine : new int[]{672, 520}) {
            assertThat(classify(byPid.get(genuine)).evidence()).isNotEmpty()
                    .allMatch(e -> e.points() == Verdict.SYSTEM, "only system evidence");
            assertThat(rules(byPid.get(genuine))).contains("win-core-process");
        }
    }

    /**
     * End to end on the recorded VM: the connection tables name each connection's PID, the process list says who
     * that is, and the remote ends become traffic facts. Talking to the provider's metadata service adds cloud-agent
     * evidence to the genuine agents but does not rescue the fake one, and the miners' pool port adds to theirs.
     */
    @Test
    void connectionsJoinedToProcessesKeepTheVerdicts() {
        Map<Integer, List<io.bwdoctor.core.verdict.Remote>> remotes = new java.util.HashMap<>();
        for (IpHelperTables.Kind kind : IpHelperTables.Kind.values()) {
            byte[] buffer = Fixtures.bytes(kind.name().toLowerCase(java.util.Locale.ROOT) + ".bin");
            for (IpHelperTables.Row row : IpHelperTables.decode(kind, java.lang.foreign.MemorySegment.ofArray(buffer))) {
                io.bwdoctor.core.attribution.SocketRecord s = IpHelperTables.toSocketRecord(row);
                if (s.ownerPid() < 0 || s.state() != io.bwdoctor.core.attribution.SocketState.ESTABLISHED) continue;
                io.bwdoctor.core.intel.AddressClass c = io.bwdoctor.core.intel.AddressClass.of(s.ipVersion(),
                        s.remoteHi(), s.remoteLo());
                remotes.computeIfAbsent(s.ownerPid(), k -> new ArrayList<>()).add(new io.bwdoctor.core.verdict.Remote(
                        s.remoteAddress().getHostAddress(), s.remotePort(), "tcp", c, null, null, null, null, null,
                        false, 1_000_000, 10_000));
            }
        }
        Map<Integer, String> expected = new java.util.HashMap<>();
        ProcessFixture.load().forEach(f -> expected.put(f.process().pid(), f.expect()));
        int joined = 0;
        for (ProcessFacts p : WindowsProcessFacts.of(ProcessFixture.processes())) {
            List<io.bwdoctor.core.verdict.Remote> r = remotes.getOrDefault(p.pid(), List.of());
            if (r.isEmpty()) continue;
            joined++;
            long tx = r.stream().mapToLong(io.bwdoctor.core.verdict.Remote::txBytes).sum();
            TrafficFacts t = new TrafficFacts(tx, tx / 100, tx / 1000, tx / 100_000, 10, r.size(), r.size(), r.size(),
                    0, 0, tx, 0, 0, r, List.of());
            Classification c = CLASSIFIER.classify(new Subject(p, t, null));
            assertThat(c.verdict().key()).as(p.pid() + " " + p.name() + " " + c.evidence()).isEqualTo(expected.get(p.pid()));
        }
        assertThat(joined).as("processes with an established connection in the tables").isGreaterThanOrEqualTo(10);
        ProcessFacts gce = WindowsProcessFacts.of(ProcessFixture.processes()).stream().filter(p -> p.pid() == 2580)
                .findFirst().orElseThrow();
        assertThat(CLASSIFIER.classify(new Subject(gce, new TrafficFacts(1, 1, 1, 1, 10, 1, 1, 1, 0, 0, 0, 0, 0,
                remotes.get(2580), List.of()), null)).evidence()).extracting(e -> e.rule())
                .contains("win-gcp-agent", "talks-to-provider-service");
    }

    /** Keeping only the name (no path, parent, user, signature, command line): nothing may be called abnormal. */
    @Test
    void aNameAloneNeverConvicts() {
        for (WindowsProcess p : ProcessFixture.processes()) {
            ProcessFacts nameOnly = new ProcessFacts(Platform.WINDOWS, p.pid(), p.ppid(), p.name(), null, null,
                    List.of(), null, null, null, null, null, null, null);
            assertThat(classify(nameOnly).verdict()).as(p.name()).isNotEqualTo(Verdict.ABNORMAL);
        }
    }

    /** Statically: every decisive Windows rule (weight >= 0.5) tests something besides the name. */
    @Test
    @SuppressWarnings("unchecked")
    void everyDecisiveWindowsRuleLooksBeyondTheName() throws Exception {
        Map<String, Object> doc;
        try (InputStream in = Rules.class.getResourceAsStream("/io/bwdoctor/verdict/rules-windows.toml")) {
            doc = new TomlMapper().readValue(in, Map.class);
        }
        List<Map<String, Object>> rules = (List<Map<String, Object>>) doc.get("rule");
        assertThat(rules).hasSizeGreaterThan(25);
        for (Map<String, Object> r : rules) {
            assertThat(r.get("platform")).as(r.get("id") + " platform").isEqualTo("windows");
            if (((Number) r.get("weight")).doubleValue() >= 0.5) {
                Set<String> keys = ((Map<String, Object>) r.get("when")).keySet();
                assertThat(keys.stream().filter(k -> !k.equals("name") && !k.equals("name_resembles")))
                        .as(r.get("id") + " decides on more than the name").isNotEmpty();
            }
        }
    }

    private static List<String> rules(ProcessFacts p) {
        return classify(p).evidence().stream().map(e -> e.rule()).toList();
    }
}
