package dev.kumo.node.cri;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BackOffTest {
    private final BackOff backOff = new BackOff();
    private final Instant t0 = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void delaysDoubleFromTenSecondsToFiveMinutesAndStartOverAfterQuiet() {
        assertThat(backOff.inBackOffSinceUpdate("k", t0)).isFalse();
        backOff.next("k", t0);
        assertThat(backOff.delay("k")).isEqualTo(Duration.ofSeconds(10));
        assertThat(backOff.inBackOffSinceUpdate("k", t0.plusSeconds(9))).isTrue();
        assertThat(backOff.inBackOffSinceUpdate("k", t0.plusSeconds(10))).isFalse();
        Instant t = t0;
        for (int i = 0; i < 10; i++) {
            t = t.plusSeconds(1);
            backOff.next("k", t);
        }
        assertThat(backOff.delay("k")).isEqualTo(Duration.ofMinutes(5));
        assertThat(backOff.inBackOffSince("k", t.minusSeconds(299), t)).isTrue();
        assertThat(backOff.inBackOffSince("k", t.minusSeconds(300), t)).isFalse();

        backOff.next("k", t.plus(Duration.ofMinutes(11)));
        assertThat(backOff.delay("k")).as("quiet for twice the maximum").isEqualTo(Duration.ofSeconds(10));
        backOff.forgetPrefix("k");
        assertThat(backOff.delay("k")).isZero();
    }

    @Test
    void envExpansionFollowsKubernetes() {
        var vars = java.util.Map.of("A", "1", "B", "two");
        assertThat(EnvExpansion.expand("$(A)-$(B)", vars)).isEqualTo("1-two");
        assertThat(EnvExpansion.expand("$$(A) $(C) $A $(A", vars)).isEqualTo("$(A) $(C) $A $(A");
        assertThat(EnvExpansion.expand("cost: 5$", vars)).isEqualTo("cost: 5$");
    }
}
