package dev.kumo.apimachinery.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPointerTest {

    @Test
    void parsesAndUnescapesTokens() {
        assertThat(JsonPointer.parse("").isRoot()).isTrue();
        assertThat(JsonPointer.parse("/").tokens()).containsExactly("");
        assertThat(JsonPointer.parse("/a~1b/m~0n/~01").tokens()).containsExactly("a/b", "m~n", "~1");
        assertThat(JsonPointer.parse("/metadata/annotations/example.com~1owner").last()).isEqualTo("example.com/owner");
    }

    @Test
    void printsEscapedTokens() {
        assertThat(new JsonPointer(List.of("a/b", "m~n")).toString()).isEqualTo("/a~1b/m~0n");
        assertThat(JsonPointer.parse("/a~1b/m~0n").parent()).isEqualTo(new JsonPointer(List.of("a/b")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "/a~2", "/a~"})
    void rejectsInvalidPointers(String pointer) {
        assertThatThrownBy(() -> JsonPointer.parse(pointer))
                .isInstanceOf(MalformedPatchException.class)
                .hasMessageContaining(pointer);
    }

    @Test
    void arrayIndexesHaveNoLeadingZeros() {
        assertThat(JsonPointer.arrayIndex("0")).isZero();
        assertThat(JsonPointer.arrayIndex("12")).isEqualTo(12);
        assertThat(JsonPointer.arrayIndex("01")).isEqualTo(-1);
        assertThat(JsonPointer.arrayIndex("-")).isEqualTo(-1);
        assertThat(JsonPointer.arrayIndex("1e2")).isEqualTo(-1);
    }

    @Test
    void knowsWhatIsInsideWhat() {
        assertThat(JsonPointer.parse("/a/b").isStrictlyInside(JsonPointer.parse("/a"))).isTrue();
        assertThat(JsonPointer.parse("/a").isStrictlyInside(JsonPointer.parse("/a"))).isFalse();
        assertThat(JsonPointer.parse("/ab").isStrictlyInside(JsonPointer.parse("/a"))).isFalse();
    }
}
