package dev.kumo.node.pods;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Go's duration text in the kubelet's messages, and how often a repeated back-off event is recorded. */
class GoDurationTest {

    @Test
    void formatsAsGosDurationString() {
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.format(Duration.ofMillis(420))).isEqualTo("420ms");
        assertThat(GoDuration.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
        assertThat(GoDuration.format(Duration.ofMillis(1_500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofMillis(123_004))).isEqualTo("2m3.004s");
        assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(GoDuration.format(Duration.ofSeconds(-2))).isEqualTo("-2s");
    }

    @Test
    void aRepeatedReportIsDueOncePerPeriodPerKey() {
        RepeatLimiter repeats = new RepeatLimiter();
        Instant now = Instant.parse("2026-11-24T06:00:00Z");
        assertThat(repeats.due("uid/c/BackOff", now)).isTrue();
        assertThat(repeats.due("uid/c/BackOff", now.plusSeconds(9))).isFalse();
        assertThat(repeats.due("uid/d/BackOff", now.plusSeconds(9))).as("another container").isTrue();
        assertThat(repeats.due("uid/c/BackOff", now.plusSeconds(10))).isTrue();
        repeats.forgetPrefix("uid/");
        assertThat(repeats.due("uid/c/BackOff", now.plusSeconds(11))).as("forgotten with its pod").isTrue();
    }
}
