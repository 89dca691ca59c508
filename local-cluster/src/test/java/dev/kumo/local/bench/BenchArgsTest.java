package dev.kumo.local.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchArgsTest {
    private static final Map<String, String> DEFAULTS = Map.of("--scenario", "all", "--creators", "4");

    @Test
    void givenValuesOverrideTheDefaults() {
        assertThat(BenchArgs.parse(new String[]{"--creators", "8"}, DEFAULTS))
                .containsEntry("--creators", "8").containsEntry("--scenario", "all");
    }

    @Test
    void aMistypedNameOrAMissingValueIsRefusedRatherThanRunningWithTheDefault() {
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"--scenarios", "pods-1000"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'--scenarios'")
                .hasMessageContaining("--creators, --scenario");
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"--scenario", "pods-1000", "--creators"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'--creators'");
    }
}
