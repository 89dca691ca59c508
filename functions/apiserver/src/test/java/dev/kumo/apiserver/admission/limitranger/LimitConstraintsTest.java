package dev.kumo.apiserver.admission.limitranger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Kubernetes' min, max and maxLimitRequestRatio checks of a LimitRange, each with its message. */
class LimitConstraintsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void eachRuleNamesWhatIsMissingOrOutOfRange() {
        record Row(String item, String resources, List<String> expected) {
        }
        for (Row row : new Row[]{
                new Row("{\"min\":{\"cpu\":\"100m\"}}", "{\"limits\":{\"cpu\":\"1\"}}",
                        List.of("minimum cpu usage per Container is 100m.  No request is specified")),
                new Row("{\"min\":{\"cpu\":\"100m\"}}", "{\"requests\":{\"cpu\":\"50m\"}}",
                        List.of("minimum cpu usage per Container is 100m, but request is 50m")),
                new Row("{\"min\":{\"cpu\":\"100m\"}}", "{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"cpu\":\"90m\"}}",
                        List.of("minimum cpu usage per Container is 100m, but limit is 90m")),
                new Row("{\"min\":{\"cpu\":\"100m\"}}", "{\"requests\":{\"cpu\":\"100m\"}}", List.of()),
                new Row("{\"max\":{\"memory\":\"1Gi\"}}", "{\"requests\":{\"memory\":\"1Gi\"}}",
                        List.of("maximum memory usage per Container is 1Gi.  No limit is specified")),
                new Row("{\"max\":{\"memory\":\"1Gi\"}}", "{\"limits\":{\"memory\":\"2Gi\"}}",
                        List.of("maximum memory usage per Container is 1Gi, but limit is 2Gi")),
                new Row("{\"max\":{\"memory\":\"1Gi\"}}",
                        "{\"requests\":{\"memory\":\"2Gi\"},\"limits\":{\"memory\":\"1Gi\"}}",
                        List.of("maximum memory usage per Container is 1Gi, but request is 2Gi")),
                new Row("{\"max\":{\"memory\":\"1Gi\"}}", "{\"limits\":{\"memory\":\"1Gi\"}}", List.of()),
                new Row("{\"maxLimitRequestRatio\":{\"cpu\":\"2\"}}", "{\"limits\":{\"cpu\":\"1\"}}",
                        List.of("cpu max limit to request ratio per Container is 2, but no request is specified or "
                                + "request is 0")),
                new Row("{\"maxLimitRequestRatio\":{\"cpu\":\"2\"}}", "{\"requests\":{\"cpu\":\"1\"}}",
                        List.of("cpu max limit to request ratio per Container is 2, but no limit is specified or "
                                + "limit is 0")),
                new Row("{\"maxLimitRequestRatio\":{\"cpu\":\"2\"}}",
                        "{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"cpu\":\"250m\"}}",
                        List.of("cpu max limit to request ratio per Container is 2, but provided ratio is 2.500000")),
                new Row("{\"maxLimitRequestRatio\":{\"cpu\":\"2\"}}",
                        "{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"cpu\":\"200m\"}}", List.of())}) {
            JsonNode limitRange = json("{\"spec\":{\"limits\":[" + row.item().replaceFirst("\\{",
                    "{\"type\":\"Container\",") + "]}}");
            JsonNode podSpec = json("{\"containers\":[{\"name\":\"c\",\"resources\":" + row.resources() + "}]}");

            assertThat(LimitConstraints.violations(limitRange, podSpec)).as(row.item() + " " + row.resources())
                    .isEqualTo(row.expected());
        }
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
