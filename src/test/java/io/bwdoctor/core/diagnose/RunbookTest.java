package io.bwdoctor.core.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunbookTest {
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
