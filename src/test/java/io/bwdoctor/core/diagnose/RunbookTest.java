package io.bwdoctor.core.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import io.bwdoctor.core.live.Rates;
import io.bwdoctor.core.verdict.Classification;
import io.bwdoctor.core.verdict.Platform;
import io.bwdoctor.core.verdict.ProcessFacts;
import io.bwdoctor.core.verdict.TrafficFacts;
import io.bwdoctor.core.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunbookTest {
    private static final Rates RATES = new Rates(900_000_000, 10_000_000, 1, 1, null, null, null, null, null, null,
            95_000_000, 1_000_000, 96_000_000);

    private static List<Diagnosis.Action> saturated(Baseline baseline) {
        ProcessFacts nginx = new ProcessFacts(Platform.LINUX, 10, 1, "nginx", "/usr/sbin/nginx", false, List.of(),
                "www-data", "systemd", "/usr/lib/systemd/systemd", "nginx", "nginx.service", null, null);
        Diagnosis.ProcessReport p = new Diagnosis.ProcessReport(nginx, TrafficFacts.NONE,
                new Classification(Verdict.BUSINESS, null, 0.8, List.of()), 0.97, RATES, false);
        Diagnosis.Link link = new Diagnosis.Link(List.of(), 0, 0, 0, 0, 90_000_000, 1_000_000, 97_000_000, 0.97);
        return Runbook.actions(List.of(p), link, 100_000_000L, List.of(), Diagnosis.Outcome.SATURATED_BUSINESS,
                baseline);
    }

    @Test
    void saturationByBusinessTrafficSaysByHowMuchAndComparesWithTheHistory() {
        assertThat(saturated(null)).extracting(Diagnosis.Action::key)
                .containsExactly("raise-cap", "optimise", "no-history");
        Diagnosis.Action raise = saturated(null).get(0);
        assertThat(raise.facts()).containsEntry("suggested", "200000000").containsEntry("peak", "97000000");
        assertThat(saturated(new Baseline("eth0", 20_000_000, 7, 10_000)).get(2).key()).isEqualTo("history-jump");
        assertThat(saturated(new Baseline("eth0", 20_000_000, 7, 10_000)).get(2).facts()).containsEntry("ratio", "4.5");
        assertThat(saturated(new Baseline("eth0", 80_000_000, 7, 10_000)).get(2).key()).isEqualTo("history-usual");
        assertThat(saturated(new Baseline("eth0", 20_000_000, 1, 30)).get(2).key())
                .as("half an hour of history says nothing").isEqualTo("no-history");
    }
    @Test
    void suggestsACapThatFitsThePeakWithAQuarterToSpareRoundedUp() {
        assertThat(Runbook.suggestedCap(97_000_000)).isEqualTo(200_000_000);
        assertThat(Runbook.suggestedCap(38_000_000)).isEqualTo(50_000_000);
        assertThat(Runbook.suggestedCap(8_000_000)).isEqualTo(10_000_000);
        assertThat(Runbook.suggestedCap(1_500_000)).isEqualTo(2_000_000);
        assertThat(Runbook.suggestedCap(0)).isEqualTo(1);
    }

    @Test
    void quotesPathsForTheShell() {
        assertThat(Runbook.quote("/tmp/a b")).isEqualTo("'/tmp/a b'");
        assertThat(Runbook.quote("/tmp/it's")).isEqualTo("'/tmp/it'\\''s'");
    }
}
