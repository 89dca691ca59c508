package dev.kumo.apiserver.protobuf;

import static dev.kumo.apiserver.protobuf.Fixtures.PROTOBUF;
import static dev.kumo.apiserver.protobuf.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Go's generated code writes every non-pointer field, zero or not; decoding must give the JSON Go's encoder
 * would give for the result, not every field that was on the wire.
 */
class GoJsonRulesTest {
    @Test
    void zeroScalarsOfOmitemptyFieldsAreDropped() {
        ObjectNode deployment = json("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "generateName": "", "generation": 0},
                 "spec": {"paused": false, "minReadySeconds": 0, "template": {"spec": {"containers": [
                   {"name": "nginx", "image": "nginx", "workingDir": "", "stdin": false, "imagePullPolicy": ""}]}}}}
                """);

        ObjectNode decoded = PROTOBUF.decode(PROTOBUF.encode(deployment));

        assertThat(decoded).isEqualTo(json("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                 "spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}
                """));
    }

    @Test
    void zeroValuesOfPointersAndFieldsWithoutOmitemptyStay() {
        ObjectNode pod = json("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "deletionGracePeriodSeconds": 0},
                 "spec": {"containers": [{"name": "", "ports": [{"containerPort": 0}]}], "priority": 0},
                 "status": {"containerStatuses": [{"name": "c", "ready": false, "restartCount": 0, "image": "", "imageID": ""}]}}
                """);

        assertThat(PROTOBUF.decode(PROTOBUF.encode(pod))).isEqualTo(pod);
    }

    @Test
    void unsetTimesAndNullsAreLeftOut() {
        ObjectNode pod = json("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "creationTimestamp": null,
                 "deletionTimestamp": "0001-01-01T00:00:00Z"}, "spec": {"containers": null}}
                """);

        assertThat(PROTOBUF.decode(PROTOBUF.encode(pod))).isEqualTo(json("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}
                """));
    }

    @Test
    void timeKeepsWholeSecondsAndMicroTimeMicroseconds() {
        ObjectNode lease = json("""
                {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "l",
                 "creationTimestamp": "2024-05-01T12:20:30.999+02:00"},
                 "spec": {"acquireTime": "2024-05-01T10:20:30.123456789Z", "renewTime": "2024-05-01T12:00:00+02:00"}}
                """);

        ObjectNode decoded = PROTOBUF.decode(PROTOBUF.encode(lease));

        assertThat(decoded.at("/metadata/creationTimestamp").asText()).isEqualTo("2024-05-01T10:20:30Z");
        assertThat(decoded.at("/spec/acquireTime").asText()).isEqualTo("2024-05-01T10:20:30.123456Z");
        assertThat(decoded.at("/spec/renewTime").asText()).isEqualTo("2024-05-01T10:00:00.000000Z");
    }

    @Test
    void inlineStructsShareTheirParentsJsonObject() {
        ObjectNode pod = json("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
                  "volumes": [{"name": "v", "secret": {"secretName": "s"}}],
                  "containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "cm"}}],
                    "startupProbe": {"exec": {"command": ["true"]}}}]}}
                """);

        assertThat(PROTOBUF.decode(PROTOBUF.encode(pod))).isEqualTo(pod);
    }

    @Test
    void quantityNumbersBecomeStrings() {
        ObjectNode pod = json("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                 "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": 2, "memory": 0.5}}}]}}
                """);

        ObjectNode decoded = PROTOBUF.decode(PROTOBUF.encode(pod));

        assertThat(decoded.at("/spec/containers/0/resources/limits").toString()).isEqualTo("{\"cpu\":\"2\",\"memory\":\"0.5\"}");
    }
}
