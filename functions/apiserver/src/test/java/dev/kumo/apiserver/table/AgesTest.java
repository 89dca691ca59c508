package dev.kumo.apiserver.table;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AgesTest {

    /** The cases of Kubernetes' duration.HumanDuration. */
    @ParameterizedTest
    @CsvSource({"0, 0s", "1, 1s", "119, 119s", "120, 2m", "130, 2m10s", "599, 9m59s", "600, 10m", "10799, 179m",
            "10800, 3h", "11100, 3h5m", "28800, 8h", "172799, 47h", "172800, 2d", "176400, 2d1h", "691200, 8d",
            "63071999, 729d", "63072000, 2y", "94608000, 3y", "252288000, 8y"})
    void humanDurationsMatchKubectl(long seconds, String expected) {
        assertThat(Ages.human(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }
}
