package io.bwdoctor.core.verdict;

import static io.bwdoctor.core.verdict.Proc.linux;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifierTest {
    private static final Condition ALWAYS = s -> Map.of();
    private static final Subject ANY = linux("x", "/opt/x").subject();

    private static Rule rule(String id, Verdict points, double weight) {
        return rule(id, points, null, weight);
    }

    private static Rule rule(String id, Verdict points, String kind, double weight) {
        return new Rule(id, null, points, kind, weight, id + " {name}", null, List.of(ALWAYS));
    }

    private static Classification classify(Rule... rules) {
        return new Classifier(List.of(rules)).classify(ANY);
    }

    @Test
    void evidenceForOneVerdictCombinesAsIndependentSignals() {
        Classification c = classify(rule("a", Verdict.ABNORMAL, 0.3), rule("b", Verdict.ABNORMAL, 0.4));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.confidence()).isEqualTo(0.58); // 1 - 0.7 * 0.6
        Classification three = classify(rule("a", Verdict.BUSINESS, 0.3), rule("b", Verdict.BUSINESS, 0.3),
                rule("c", Verdict.BUSINESS, 0.3));
        assertThat(three.verdict()).isEqualTo(Verdict.BUSINESS);
        assertThat(three.confidence()).isEqualTo(0.66); // 1 - 0.343 = 0.657
    }

    @Test
    void manyStrongSignalsNeverPassOne() {
        Rule[] rules = new Rule[20];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = rule("r" + i, Verdict.ABNORMAL, 0.99);
        }
        assertThat(classify(rules).confidence()).isLessThanOrEqualTo(1.0).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void abnormalWinsFromOneHalfEvenAgainstStrongerEvidence() {
        Classification c = classify(rule("declared", Verdict.BUSINESS, 0.95), rule("agent", Verdict.CLOUD_AGENT, 0.9),
                rule("bad", Verdict.ABNORMAL, "miner", 0.5));
        assertThat(c.verdict()).isEqualTo(Verdict.ABNORMAL);
        assertThat(c.kind()).isEqualTo("miner");
        assertThat(c.confidence()).isEqualTo(0.5);
        assertThat(c.evidence()).extracting(Evidence::rule).containsExactly("declared", "agent", "bad");
    }

    @Test
    void justBelowOneHalfAbnormalGivesWayToTheBestOther() {
        Classification c = classify(rule("bad", Verdict.ABNORMAL, 0.49), rule("sys", Verdict.SYSTEM, 0.6),
                rule("biz", Verdict.BUSINESS, 0.7));
        assertThat(c.verdict()).isEqualTo(Verdict.BUSINESS);
        assertThat(c.kind()).isNull();
        assertThat(c.confidence()).isEqualTo(0.7);
    }

    @Test
    void tiesGoToTheFirstOfCloudAgentBusinessSystem() {
        assertThat(classify(rule("s", Verdict.SYSTEM, 0.6), rule("b", Verdict.BUSINESS, 0.6),
                rule("c", Verdict.CLOUD_AGENT, 0.6)).verdict()).isEqualTo(Verdict.CLOUD_AGENT);
        assertThat(classify(rule("s", Verdict.SYSTEM, 0.6), rule("b", Verdict.BUSINESS, 0.6)).verdict())
                .isEqualTo(Verdict.BUSINESS);
    }

    @Test
    void unknownWhenNothingReachesOneHalf() {
        Classification c = classify(rule("bad", Verdict.ABNORMAL, 0.45), rule("biz", Verdict.BUSINESS, 0.3));
        assertThat(c.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(c.kind()).isNull();
        assertThat(c.confidence()).isEqualTo(0.55); // how sure we are that nothing decides
        assertThat(c.evidence()).extracting(Evidence::rule).containsExactly("bad", "biz");
    }

    @Test
    void noEvidenceAtAllIsUnknownForSure() {
        Rule never = new Rule("never", null, Verdict.ABNORMAL, null, 0.9, "t", null, List.of(s -> null));
        Classification c = new Classifier(List.of(never)).classify(ANY);
        assertThat(c.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(c.confidence()).isEqualTo(1.0);
        assertThat(c.evidence()).isEmpty();
    }

    @Test
    void confidenceIsRoundedToHundredths() {
        assertThat(classify(rule("a", Verdict.BUSINESS, 0.333)).confidence()).isEqualTo(0.67); // unknown: 1 - 0.333
        assertThat(classify(rule("a", Verdict.BUSINESS, 0.8765)).confidence()).isEqualTo(0.88);
        assertThat(classify(rule("a", Verdict.ABNORMAL, 0.5), rule("b", Verdict.ABNORMAL, 0.5)).confidence())
                .isEqualTo(0.75);
    }

    @Test
    void kindComesFromTheStrongestAbnormalEvidenceThatNamesOne() {
        Classification c = classify(rule("plain", Verdict.ABNORMAL, 0.9), rule("flood", Verdict.ABNORMAL, "ddos-bot",
                0.6), rule("scan", Verdict.ABNORMAL, "scanner", 0.55), rule("biz", Verdict.BUSINESS, "ignored", 0.95));
        assertThat(c.kind()).isEqualTo("ddos-bot");
        assertThat(classify(rule("plain", Verdict.ABNORMAL, 0.9)).kind()).isEqualTo("malware");
    }

    @Test
    void evidenceIsStrongestFirstWithTextFilledIn() {
        Classification c = classify(rule("weak", Verdict.BUSINESS, 0.1), rule("strong", Verdict.SYSTEM, 0.9),
                rule("mid", Verdict.ABNORMAL, 0.4));
        assertThat(c.evidence()).extracting(Evidence::rule).containsExactly("strong", "mid", "weak");
        assertThat(c.evidence().get(0).text()).isEqualTo("strong x");
        assertThat(c.evidence().get(0).facts()).containsEntry("pid", "4242").containsEntry("exe", "/opt/x");
    }

    @Test
    void weightZeroAndOtherPlatformsGiveNoEvidence() {
        Rule off = rule("off", Verdict.ABNORMAL, 0);
        Rule windowsOnly = new Rule("win", Platform.WINDOWS, Verdict.ABNORMAL, null, 0.9, "t", null, List.of(ALWAYS));
        assertThat(off.apply(ANY)).isNull();
        assertThat(windowsOnly.apply(ANY)).isNull();
        assertThat(windowsOnly.apply(Proc.windows("a.exe", "C:\\a.exe").subject())).isNotNull();
    }

    @Test
    void allConditionsMustHoldAndTheirFactsFillTheText() {
        Rule r = new Rule("both", null, Verdict.ABNORMAL, null, 0.6, "{exe} in {where} as {user}", "/proc/{pid}/exe",
                List.of(s -> Map.of("where", "tmp"), Conditions.of("user", "root")));
        Evidence e = r.apply(ANY);
        assertThat(e.text()).isEqualTo("/opt/x in tmp as root");
        assertThat(e.source()).isEqualTo("/proc/4242/exe");
        assertThat(r.apply(linux("x", "/opt/x").user("www-data").subject())).isNull();
        assertThat(Evidence.fill("{unknown} {", Map.of())).isEqualTo("{unknown} {");
    }

    @Test
    void mergedUserRulesOverrideShippedOnesById() {
        List<Rule> shipped = List.of(rule("tmp", Verdict.ABNORMAL, 0.7), rule("app", Verdict.BUSINESS, 0.6));
        assertThat(Classifier.merged(shipped, List.of()).classify(ANY).verdict()).isEqualTo(Verdict.ABNORMAL);

        Classifier disabled = Classifier.merged(shipped, List.of(rule("tmp", Verdict.ABNORMAL, 0)));
        assertThat(disabled.rules()).extracting(Rule::id).containsExactly("tmp", "app");
        assertThat(disabled.classify(ANY).verdict()).isEqualTo(Verdict.BUSINESS);
        assertThat(disabled.classify(ANY).evidence()).extracting(Evidence::rule).containsExactly("app");

        Classifier extended = Classifier.merged(shipped, List.of(rule("tmp", Verdict.ABNORMAL, 0.2),
                rule("mine", Verdict.CLOUD_AGENT, 0.9)));
        assertThat(extended.rules()).extracting(Rule::id).containsExactly("tmp", "app", "mine");
        assertThat(extended.classify(ANY).verdict()).isEqualTo(Verdict.CLOUD_AGENT);
    }

    @Test
    void ruleRefusesBadWeightsAndEmptyConditions() {
        assertThatThrownBy(() -> rule("w", Verdict.ABNORMAL, 1.5)).hasMessageContaining("rule w: weight");
        assertThatThrownBy(() -> rule("w", Verdict.ABNORMAL, -0.1)).hasMessageContaining("rule w: weight");
        assertThatThrownBy(() -> rule("w", Verdict.ABNORMAL, Double.NaN)).hasMessageContaining("rule w: weight");
        assertThatThrownBy(() -> new Rule("e", null, Verdict.ABNORMAL, null, 0.5, "t", null, List.of()))
                .hasMessageContaining("rule e: a rule needs at least one condition");
    }

    @Test
    void declarationsMatchByNameUnitUserOrPath() {
        Declarations d = new Declarations(List.of("java"), List.of("app-*.service"), List.of("deploy"),
                List.of("/srv/*"));
        assertThat(d.match(linux("java", "/usr/bin/java").facts())).isEqualTo("name java");
        assertThat(d.match(linux("x", "/usr/bin/x").unit("app-web.service").facts())).isEqualTo("unit app-web.service");
        assertThat(d.match(linux("x", "/usr/bin/x").user("deploy").facts())).isEqualTo("user deploy");
        assertThat(d.match(linux("x", "/srv/app/x").facts())).isEqualTo("path /srv/app/x");
        assertThat(d.match(linux("x", "/usr/bin/x").facts())).isNull();
        assertThat(Declarations.NONE.match(linux("java", "/usr/bin/java").facts())).isNull();
        assertThat(new Declarations(List.of("JAVA.EXE"), List.of(), List.of(), List.of())
                .match(Proc.windows("java.exe", "C:\\java.exe").facts())).isEqualTo("name java.exe");
    }
}
