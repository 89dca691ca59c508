package dev.kumo.apiserver.openapi.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode swagger() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"paths": {
                   "/api/v1/pods": {"get": {
                       "parameters": [{"$ref": "#/parameters/fieldValidation-x"}, {"in": "query", "name": "limit"}],
                       "responses": {"200": {"schema": {"$ref": "#/definitions/A"}}}}},
                   "/api/v1/secrets": {"get": {"responses": {"200": {"schema": {"$ref": "#/definitions/C"}}}}}},
                 "parameters": {
                   "fieldValidation-x": {"in": "query", "name": "fieldValidation"},
                   "unused": {"in": "query", "name": "pretty"}},
                 "definitions": {
                   "A": {"properties": {"b": {"$ref": "#/definitions/B"}}},
                   "B": {"properties": {"a": {"$ref": "#/definitions/A"}, "list": {"items": {"$ref": "#/definitions/a~1b"}}}},
                   "a/b": {},
                   "C": {},
                   "D": {"properties": {"c": {"$ref": "#/definitions/C"}}}}}
                """);
    }

    @Test
    void keepsServedPathsAndWhatTheyReachTransitively() throws Exception {
        ObjectNode filtered = DocumentFilter.V2.filter(swagger(), path -> path.endsWith("/pods"), true);

        assertThat(names(filtered.get("paths"))).containsExactly("/api/v1/pods");
        assertThat(names(filtered.get("definitions"))).containsExactly("A", "B", "a/b");
        assertThat(names(filtered.get("parameters"))).containsExactly("fieldValidation-x");
    }

    @Test
    void dropsTheFieldValidationParameterAndWhatOnlyItReached() throws Exception {
        ObjectNode filtered = DocumentFilter.V2.filter(swagger(), path -> path.endsWith("/pods"), false);

        assertThat(filtered.at("/paths/~1api~1v1~1pods/get/parameters").toString())
                .isEqualTo("[{\"in\":\"query\",\"name\":\"limit\"}]");
        assertThat(names(filtered.get("parameters"))).isEmpty();
    }

    @Test
    void leavesItsInputAlone() throws Exception {
        ObjectNode original = swagger();
        DocumentFilter.V2.filter(original, path -> false, false);
        assertThat(original).isEqualTo(swagger());
    }

    @Test
    void failsOnADanglingReference() throws Exception {
        ObjectNode document = swagger();
        ((ObjectNode) document.get("definitions")).remove("B");
        assertThatThrownBy(() -> DocumentFilter.V2.filter(document, path -> true, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("#/definitions/B");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
