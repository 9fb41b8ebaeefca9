package io.bwdoctor.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bwdoctor.core.guard.SaturationTracker.Event;
import org.junit.jupiter.api.Test;

class SaturationTrackerTest {
    @Test
    void opensAfterTheGivenSecondsAboveAndClosesAfterTheGivenSecondsBelow() {
        SaturationTracker t = new SaturationTracker(0.9, 3, 2);
        assertThat(t.feed(0.95)).isEqualTo(Event.NONE);
        assertThat(t.feed(0.95)).isEqualTo(Event.NONE);
        assertThat(t.feed(0.5)).as("a dip restarts the count").isEqualTo(Event.NONE);
        assertThat(t.feed(0.91)).isEqualTo(Event.NONE);
        assertThat(t.feed(1.2)).isEqualTo(Event.NONE);
        assertThat(t.feed(0.9)).as("the threshold itself counts").isEqualTo(Event.OPEN);
        assertThat(t.active()).isTrue();
        assertThat(t.feed(1.5)).as("no second incident while one is active").isEqualTo(Event.NONE);
        assertThat(t.feed(0.1)).isEqualTo(Event.NONE);
        assertThat(t.feed(0.95)).as("a saturated second resets the recovery").isEqualTo(Event.NONE);
        assertThat(t.feed(0.1)).isEqualTo(Event.NONE);
        assertThat(t.feed(0.1)).isEqualTo(Event.CLOSE);
        assertThat(t.active()).isFalse();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new SaturationTracker(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SaturationTracker(0.9, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
