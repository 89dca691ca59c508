package dev.kumo.apiserver.handlers;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class WatchTimeoutTest {
    @Test
    void theClientsTimeoutSecondsBoundTheWatch() {
        assertThat(WatchTimeout.of(600L, new SplittableRandom(1))).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void withoutTimeoutSecondsOrWithZeroTheWatchEndsBetweenHalfAnHourAndAnHourAsInKubernetes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(WatchTimeout.of(i % 2 == 0 ? null : 0L, random))
                    .isBetween(Duration.ofSeconds(1800), Duration.ofSeconds(3600).minusMillis(1));
        }
    }
}
