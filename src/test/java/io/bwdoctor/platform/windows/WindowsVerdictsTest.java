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
