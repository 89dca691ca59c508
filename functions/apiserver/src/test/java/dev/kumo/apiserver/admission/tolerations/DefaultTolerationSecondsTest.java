package dev.kumo.apiserver.admission.tolerations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.resources.BuiltinResources;
import dev.kumo.apiserver.resources.ResourceDefinition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** kube-apiserver's DefaultTolerationSeconds: 300 s tolerations of not-ready and unreachable unless already there. */
class DefaultTolerationSecondsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceDefinition PODS = BuiltinResources.create(Clock.systemUTC())
            .find("", "v1", "pods").orElseThrow();
    private static final ResourceDefinition SERVICES = BuiltinResources.create(Clock.systemUTC())
            .find("", "v1", "services").orElseThrow();
    private static final String BOTH = "[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\","
            + "\"effect\":\"NoExecute\",\"tolerationSeconds\":300},{\"key\":\"node.kubernetes.io/unreachable\","
            + "\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]";

    @Test
    void addsOnlyTheTolerationsAPodLacks() {
        record Row(String tolerations, String expected) {
        }
        String mine = "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
                + "\"tolerationSeconds\":6000}";
        String everything = "{\"operator\":\"Exists\"}";
        String noSchedule = "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}";
        for (Row row : new Row[]{
                new Row(null, BOTH),
                new Row("[]", BOTH),
                new Row("[" + mine + "]", "[" + mine + ",{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":"
                        + "\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]"),
                new Row("[" + everything + "]", "[" + everything + "]"),
                new Row("[" + noSchedule + "]", "[" + noSchedule + "," + BOTH.substring(1))}) {
            ObjectNode pod = pod(row.tolerations());
            new DefaultTolerationSeconds().admit(request(PODS, "", pod));
            // As text: the plugin writes int64 seconds (a LongNode), the parser reads 300 as an IntNode.
            assertThat(pod.path("spec").path("tolerations").toString()).as(String.valueOf(row.tolerations()))
                    .isEqualTo(json(row.expected()).toString());
        }
    }

    @Test
    void leavesSubresourcesAndOtherResourcesAlone() {
        ObjectNode status = pod(null);
        new DefaultTolerationSeconds().admit(request(PODS, "status", status));
        ObjectNode service = json("{\"spec\":{}}");
        new DefaultTolerationSeconds().admit(request(SERVICES, "", service));

        assertThat(status.path("spec").has("tolerations")).isFalse();
        assertThat(service.path("spec").has("tolerations")).isFalse();
    }

    private static AdmissionRequest request(ResourceDefinition def, String subresource, ObjectNode object) {
        return new AdmissionRequest(AdmissionRequest.Operation.CREATE, def, "default", "p", subresource, object,
                null, UserInfo.API_SERVER, false);
    }

    private static ObjectNode pod(String tolerations) {
        ObjectNode pod = json("{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
        if (tolerations != null) {
            ((ObjectNode) pod.path("spec")).set("tolerations", json(tolerations));
        }
        return pod;
    }

    private static <T extends com.fasterxml.jackson.databind.JsonNode> T json(String text) {
        try {
            @SuppressWarnings("unchecked")
            T node = (T) MAPPER.readTree(text);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
