package io.bwdoctor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bwdoctor.core.verdict.Classifier;
import io.bwdoctor.core.verdict.Evidence;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.Proc;
import io.bwdoctor.core.verdict.Rule;
import io.bwdoctor.core.verdict.Verdict;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RulesTest {
    private static final String FILE = "/etc/bwdoctor/my-rules.toml";

    static List<Rule> parse(String toml) throws ConfigException {
        return Rules.parse(Toml.read(new ByteArrayInputStream(toml.getBytes(StandardCharsets.UTF_8)), FILE), FILE);
    }

    @Test
    void parsesEveryFieldOfARule() throws ConfigException {
        List<Rule> rules = parse("""
                [[rule]]
                id = "our-miner-pool"
                platform = "linux"
                verdict = "abnormal"
                kind = "miner"
                weight = 0.8
                text = "{name} talks to our blocked pool"
                source = "/proc/{pid}/exe"
                [rule.when]
                remote_port = 3333
                exe_under = ["/tmp", "/var/tmp"]

                [[rule]]
                id = "defaults"
                verdict = "business"
                [rule.when]
                name = "x"
                """);
        assertThat(rules).hasSize(2);
        Rule r = rules.get(0);
        assertThat(r.id()).isEqualTo("our-miner-pool");
        assertThat(r.platform()).isEqualTo(Platform.LINUX);
        assertThat(r.points()).isEqualTo(Verdict.ABNORMAL);
        assertThat(r.kind()).isEqualTo("miner");
        assertThat(r.weight()).isEqualTo(0.8);
        assertThat(r.conditions()).hasSize(2);
        Rule d = rules.get(1);
        assertThat(d.platform()).as("any platform").isNull();
        assertThat(d.weight()).isEqualTo(0.5);
        assertThat(d.template()).as("text defaults to the id").isEqualTo("defaults");
        assertThat(parse("# nothing here\n")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "verdict = \"abnormal\"                  | missing [rule.when] table",
            "verdict = \"abnormal\"\\n[rule.when]    | [rule.when] has no conditions",
            "verdict = \"evil\"\\n[rule.when]\\nname = \"x\"  | unknown verdict 'evil'",
            "verdict = \"abnormal\"\\nweight = 1.5\\n[rule.when]\\nname = \"x\" | weight must be a number between 0 and 1, got 1.5",
            "verdict = \"abnormal\"\\nweight = -0.1\\n[rule.when]\\nname = \"x\" | weight must be a number between 0 and 1",
            "verdict = \"abnormal\"\\nweight = nan\\n[rule.when]\\nname = \"x\" | weight must be a number between 0 and 1",
            "verdict = \"abnormal\"\\nweight = \"high\"\\n[rule.when]\\nname = \"x\" | weight must be a number",
            "verdict = \"abnormal\"\\nplatform = \"bsd\"\\n[rule.when]\\nname = \"x\" | platform must be linux, windows or any",
            "verdict = \"abnormal\"\\nwieght = 0.9\\n[rule.when]\\nname = \"x\" | unknown key 'wieght'",
            "verdict = \"abnormal\"\\n[rule.when]\\nnmae = \"x\"  | unknown condition 'nmae'",
            "verdict = \"abnormal\"\\n[rule.when]\\nexe_known = \"yes\" | expected true or false, got yes"})
    void errorsNameTheFileTheRuleAndTheReason(String body, String reason) {
        String toml = "[[rule]]\nid = \"bad-one\"\n" + body.replace("\\n", "\n") + "\n";
        assertThatThrownBy(() -> parse(toml)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": rule bad-one: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage().split("rule bad-one", -1)).as("rule named once").hasSize(2));
    }

    @Test
    void structuralErrorsNameTheFile() {
        assertThatThrownBy(() -> parse("rule = 5\n")).isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ": 'rule' must be an array of tables ([[rule]])");
        assertThatThrownBy(() -> parse("rule = [1, 2]\n")).isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ": each [[rule]] must be a table");
        assertThatThrownBy(() -> parse("[[rule]]\nverdict = \"abnormal\"\n[rule.when]\nname = \"x\"\n"))
                .isInstanceOf(ConfigException.class).hasMessage(FILE + ": a rule has no id");
        assertThatThrownBy(() -> parse("[[rule]\nid = 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": not valid TOML: ");
    }

    @Test
    void shippedRulesLoadAndFollowTheirOwnPolicy() {
        List<Rule> shipped = Rules.shipped();
        assertThat(shipped).hasSizeGreaterThan(40);
        for (Rule r : shipped) {
            assertThat(r.weight()).as(r.id()).isBetween(0.05, 0.95);
            if (r.points() != Verdict.ABNORMAL) {
                assertThat(r.kind()).as("only abnormal rules name a kind: " + r.id()).isNull();
            }
        }
    }

    @Test
    void userRulesOverrideShippedOnesAndWeightZeroSwitchesOneOff() throws ConfigException {
        var tmpBinary = Proc.linux("x", "/tmp/x").subject();
        Classifier shipped = Classifier.merged(Rules.shipped(), List.of());
        assertThat(shipped.classify(tmpBinary).evidence()).extracting(Evidence::rule).contains("exe-in-temp");

        Classifier tuned = Classifier.merged(Rules.shipped(), parse("""
                [[rule]]
                id = "exe-in-temp"
                verdict = "abnormal"
                weight = 0
                [rule.when]
                exe_under = "/tmp"

                [[rule]]
                id = "our-batch-jobs"
                verdict = "business"
                weight = 0.7
                text = "our batch job {exe}"
                [rule.when]
                exe_under = "/tmp"
                """));
        assertThat(tuned.rules()).hasSize(shipped.rules().size() + 1);
        var c = tuned.classify(tmpBinary);
        assertThat(c.evidence()).extracting(Evidence::rule).doesNotContain("exe-in-temp").contains("our-batch-jobs");
        assertThat(c.verdict()).isEqualTo(Verdict.BUSINESS);
        assertThat(c.evidence().get(0).text()).isEqualTo("our batch job /tmp/x");
    }
}
