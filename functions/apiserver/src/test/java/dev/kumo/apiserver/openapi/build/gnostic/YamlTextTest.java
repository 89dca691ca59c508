package dev.kumo.apiserver.openapi.build.gnostic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class YamlTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void laysOutKubernetesExtensionsAsGnosticDoes() throws Exception {
        assertThat(YamlText.of(JSON.readTree("\"merge,retainKeys\""))).isEqualTo("merge,retainKeys\n");
        assertThat(YamlText.of(JSON.readTree("{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}")))
                .isEqualTo("group: \"\"\nkind: Pod\nversion: v1\n");
        assertThat(YamlText.of(JSON.readTree("[\"containerPort\",\"protocol\"]"))).isEqualTo("- containerPort\n- protocol\n");
        assertThat(YamlText.of(JSON.readTree(
                "[{\"discriminator\":\"type\",\"fields-to-discriminateBy\":{\"localhostProfile\":\"LocalhostProfile\"}}]")))
                .isEqualTo("- discriminator: type\n  fields-to-discriminateBy:\n    localhostProfile: LocalhostProfile\n");
        assertThat(YamlText.of(JSON.readTree("true"))).isEqualTo("true\n");
    }

    @Test
    void quotesStringsThatWouldReadBackAsSomethingElse() {
        assertThat(YamlText.string("")).isEqualTo("\"\"");
        assertThat(YamlText.string("true")).isEqualTo("\"true\"");
        assertThat(YamlText.string("no")).isEqualTo("\"no\"");
        assertThat(YamlText.string("1.5")).isEqualTo("\"1.5\"");
        assertThat(YamlText.string("null")).isEqualTo("\"null\"");
        assertThat(YamlText.string("a: b")).isEqualTo("'a: b'");
        assertThat(YamlText.string("- x")).isEqualTo("'- x'");
        assertThat(YamlText.string("it's")).isEqualTo("it's");
        assertThat(YamlText.string("#it's")).isEqualTo("'#it''s'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"plain\"", "\"\"", "\"true\"", "\"0x1F\"", "\"2024-01-01\"", "\"a: b\"", "\"- x\"", "\"#c\"", "\"it's\"",
            "\"two\\nlines\"", "\"tab\\there\"", "\"quote\\\"s\"", "\" padded \"", "\"ends:\"", "\"ünïcode\"",
            "12", "-3.5", "false", "null", "[]", "{}", "[[1,2],[3]]", "{\"a\":{\"b\":[\"c\",{\"d\":null}]},\"e\":[]}",
            "[{\"k\":\"v\",\"l\":[\"x\",\"y\"]},\"z\"]"})
    void readsBackAsTheSameValue(String json) throws Exception {
        JsonNode value = JSON.readTree(json);
        assertThat(YAML.readTree(YamlText.of(value))).isEqualTo(value);
    }
}
