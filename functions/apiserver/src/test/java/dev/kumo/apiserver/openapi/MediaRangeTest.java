package dev.kumo.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaRangeTest {
    @Test
    void mostPreferredFirst() {
        assertThat(MediaRange.parseAccept("*/*;q=0.8, application/json;g=meta.k8s.io;v=v1, text/*, application/x;q=0"))
                .containsExactly(
                        new MediaRange("application", "json", 1),
                        new MediaRange("text", "*", 1),
                        new MediaRange("*", "*", 0.8));
    }

    @Test
    void absentMeansAnything() {
        assertThat(MediaRange.parseAccept(null)).containsExactly(new MediaRange("*", "*", 1));
        assertThat(MediaRange.parseAccept(" ")).containsExactly(new MediaRange("*", "*", 1));
    }

    @Test
    void matchesWildcards() {
        assertThat(new MediaRange("application", "*", 1).matches("application/json")).isTrue();
        assertThat(new MediaRange("*", "*", 1).matches("application/json")).isTrue();
        assertThat(new MediaRange("text", "*", 1).matches("application/json")).isFalse();
    }
}
