package dev.kumo.apimachinery.selection;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectorsTest {
    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "example.com/team", "a");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "app=web                      | true",
            "app==web                     | true",
            "app!=web                     | false",
            "app=db                       | false",
            "app in (db, web)             | true",
            "app notin (db,web)           | false",
            "tier                         | true",
            "!tier                        | false",
            "!missing                     | true",
            "missing!=x                   | true",
            "app=web,tier in (front,back) | true",
            "app=web,tier=back            | false",
            "example.com/team=a           | true",
            "missing=                     | false",
            "app=                         | false",
            "''                           | true"})
    void labelSelectorsMatchAsKubernetesDoes(String selector, boolean matches) {
        assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app in (web", "-bad=x", "app=has space", "a,,b", "UPPER_/x=y"})
    void malformedLabelSelectorsAreRejectedWithTheReason(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).isInstanceOf(SelectorException.class)
                .hasMessageContaining("label selector");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "metadata.name=a          | true",
            "metadata.name==a         | true",
            "metadata.name!=a         | false",
            "status.phase=Running     | false",
            "status.phase!=Running    | true",
            "metadata.name=a,status.phase=Pending | true"})
    void fieldSelectorsCompareTheSupportedFields(String selector, boolean matches) {
        Map<String, String> fields = Map.of("metadata.name", "a", "status.phase", "Pending");
        assertThat(FieldSelector.parse(selector).matches(null, fields::get)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.name", "=x"})
    void fieldSelectorsWithoutAnOperatorAreRejected(String selector) {
        assertThatThrownBy(() -> FieldSelector.parse(selector)).isInstanceOf(SelectorException.class);
    }

    @ParameterizedTest
    @CsvSource({"a, true", "example.com/a-b_c.d, true", "-a, false", "a/, false", "Example.com/a, false"})
    void labelKeysFollowTheQualifiedNameRules(String key, boolean valid) {
        assertThat(Labels.isValidKey(key)).isEqualTo(valid);
    }

    @Test
    void aSelectorObjectReadsAsKubernetesReadsIt() throws Exception {
        var json = new ObjectMapper();
        LabelSelector selector = LabelSelector.fromJson(json.readTree("""
                {"matchLabels":{"app":"web"},
                 "matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]},
                                     {"key":"canary","operator":"DoesNotExist"}]}"""));

        assertThat(selector.matches(Map.of("app", "web", "tier", "b"))).isTrue();
        assertThat(selector.matches(Map.of("app", "web", "tier", "b", "canary", "1"))).isFalse();
        assertThat(selector.matches(Map.of("app", "web", "tier", "c"))).isFalse();
        assertThat(LabelSelector.fromJson(json.readTree("{}")).isEverything()).isTrue();
        assertThat(LabelSelector.fromJson(null).matches(Map.of())).isFalse();
        assertThatThrownBy(() -> LabelSelector.fromJson(json.readTree(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Gt\",\"values\":[\"1\"]}]}")))
                .isInstanceOf(SelectorException.class).hasMessage("\"Gt\" is not a valid label selector operator");
        assertThatThrownBy(() -> LabelSelector.fromJson(json.readTree(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\"}]}")))
                .isInstanceOf(SelectorException.class).hasMessageContaining("values set can't be empty");
    }
}
