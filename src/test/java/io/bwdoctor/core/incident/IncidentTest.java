package io.bwdoctor.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentTest {
    @Test
    void eachSecondExtendsTheTimelineWithinItsBoundAndRaisesThePeak() {
        Incident i = new Incident(7, 1_000, null, "eth0", 10_000_000L, 0.5, 5_000_000,
                List.of(new Incident.Sample(1, 0, 0, 5_000_000)), List.of(), List.of(), null);
        i = i.plus(new Incident.Sample(2, 0, 0, 15_000_000), 2).plus(new Incident.Sample(3, 0, 0, 9_000_000), 2);
        assertThat(i.timeline()).extracting(Incident.Sample::epochSecond).containsExactly(2L, 3L);
        assertThat(i.peakBps()).isEqualTo(15_000_000);
        assertThat(i.peakUtilisation()).isEqualTo(1.5);
        Incident closed = i.withFindings(List.of(), List.of("stop-abnormal pid 42"), "{}").closedAt(9_000);
        assertThat(closed.endMillis()).isEqualTo(9_000);
        assertThat(closed.actions()).containsExactly("stop-abnormal pid 42");
        assertThat(closed.withId(8).id()).isEqualTo(8);
        assertThat(Incident.utilisation(5, null)).isZero();
    }
}
