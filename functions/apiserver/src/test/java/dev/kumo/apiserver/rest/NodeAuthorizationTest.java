package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node authorizer and NodeRestriction through the API: nodes {@code a} and {@code b} (node credentials from
 * the token file) each run one pod; each may read what its own pod uses and write its own Node, Lease and pod
 * status, and nothing of the other's.
 */
class NodeAuthorizationTest {
    private static final String NS = "/api/v1/namespaces/default";
    private static final String MERGE = "application/merge-patch+json";
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
    private final TestApi api = new TestApi();

    @BeforeEach
    void twoNodesEachRunningAPod() {
        assertThat(as(TestApi.NODE_A_TOKEN, "POST", "/api/v1/nodes", node("a")).status()).isEqualTo(201);
        assertThat(as(TestApi.NODE_B_TOKEN, "POST", "/api/v1/nodes", node("b")).status()).isEqualTo(201);
        for (String name : List.of("s-a", "s-b", "unused")) {
            admin("POST", NS + "/secrets", "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"dg==\"}}");
        }
        admin("POST", NS + "/serviceaccounts", "{\"metadata\":{\"name\":\"runner-a\"}}");
        for (String name : List.of("cm-a", "cm-b")) {
            admin("POST", NS + "/configmaps", TestApi.configMap(name, "v"));
        }
        admin("POST", NS + "/pods", pod("pa", "a", """
                "serviceAccountName":"runner-a",
                "volumes":[{"name":"s","secret":{"secretName":"s-a"}}],
                "containers":[{"name":"c","image":"busybox",
                  "env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cm-a","key":"key"}}}]}]"""));
        admin("POST", NS + "/pods", pod("pb", "b", """
                "volumes":[{"name":"p","projected":{"sources":[{"configMap":{"name":"cm-b"}}]}}],
                "containers":[{"name":"c","image":"busybox","envFrom":[{"secretRef":{"name":"s-b"}}]}]"""));
    }

    @Test
    void aNodeReadsTheSecretsAndConfigMapsOfItsOwnPodsOnly() {
        assertThat(asA("GET", NS + "/secrets/s-a", null).status()).isEqualTo(200);
        assertThat(asA("GET", NS + "/configmaps/cm-a", null).status()).isEqualTo(200);
        assertThat(as(TestApi.NODE_B_TOKEN, "GET", NS + "/secrets/s-b", null).status()).isEqualTo(200);
        assertThat(as(TestApi.NODE_B_TOKEN, "GET", NS + "/configmaps/cm-b", null).status()).isEqualTo(200);

        TestApi.Answer other = asA("GET", NS + "/secrets/s-b", null);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body().path("message").asText()).isEqualTo("secrets \"s-b\" is forbidden: User "
                + "\"system:node:a\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\": "
                + "no relationship found between node 'a' and this object");
        assertThat(asA("GET", NS + "/configmaps/cm-b", null).status()).isEqualTo(403);
        assertThat(asA("GET", NS + "/secrets/unused", null).status()).isEqualTo(403);
    }

    @Test
    void aNodeListsOrWatchesASecretOnlyByNameAndNeverWritesIt() {
        assertThat(asA("GET", NS + "/secrets?fieldSelector=metadata.name%3Ds-a", null).status()).isEqualTo(200);
        assertThat(asA("GET", NS + "/secrets?fieldSelector=metadata.name%3Ds-b", null).status()).isEqualTo(403);
        assertThat(asA("GET", NS + "/secrets", null).body().path("message").asText())
                .endsWith(": No Object name found");
        assertThat(asA("PUT", NS + "/secrets/s-a", "{\"metadata\":{\"name\":\"s-a\"},\"data\":{}}").status())
                .isEqualTo(403);
        assertThat(asA("DELETE", NS + "/secrets/s-a", null).status()).isEqualTo(403);
    }

    @Test
    void aNodeCannotReadOrChangeAnotherNodeOrItsPods() {
        assertThat(asA("GET", "/api/v1/nodes/b", null).status()).isEqualTo(403);
        TestApi.Answer relabel = api.call("PATCH", "/api/v1/nodes/b", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}",
                MERGE, auth(TestApi.NODE_A_TOKEN));
        assertThat(relabel.status()).isEqualTo(403);
        assertThat(relabel.body().path("message").asText())
                .isEqualTo("nodes \"b\" is forbidden: node \"a\" is not allowed to modify node \"b\"");
        assertThat(api.call("PATCH", "/api/v1/nodes/b/status", "{\"status\":{\"phase\":\"Running\"}}", MERGE,
                auth(TestApi.NODE_A_TOKEN)).status()).isEqualTo(403);

        assertThat(asA("GET", NS + "/pods/pb", null).status()).isEqualTo(403);
        TestApi.Answer status = api.call("PATCH", NS + "/pods/pb/status", "{\"status\":{\"phase\":\"Failed\"}}",
                MERGE, auth(TestApi.NODE_A_TOKEN));
        assertThat(status.status()).isEqualTo(403);
        assertThat(status.body().path("message").asText()).isEqualTo("pods \"pb\" is forbidden: node \"a\" can only "
                + "update pod status for pods with spec.nodeName set to itself");
        TestApi.Answer delete = asA("DELETE", NS + "/pods/pb", null);
        assertThat(delete.status()).isEqualTo(403);
        assertThat(delete.body().path("message").asText()).contains("can only delete pods with spec.nodeName");
        assertThat(admin("GET", NS + "/pods/pb", null).at("/status/phase").asText()).isEqualTo("Pending");
        assertThat(admin("GET", NS + "/pods/pb", null).at("/metadata/deletionTimestamp").isMissingNode()).isTrue();
    }

    @Test
    void aNodeReadsItsOwnNodeAndPodAndUpdatesTheirStatus() {
        assertThat(asA("GET", "/api/v1/nodes/a", null).status()).isEqualTo(200);
        assertThat(asA("GET", "/api/v1/nodes?fieldSelector=metadata.name%3Da", null).status()).isEqualTo(200);
        assertThat(asA("GET", "/api/v1/nodes", null).body().path("message").asText())
                .endsWith(": node 'a' cannot read all nodes, only its own Node object");

        TestApi.Answer ready = api.call("PATCH", "/api/v1/nodes/a/status", """
                {"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}}""", MERGE,
                auth(TestApi.NODE_A_TOKEN));
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().at("/status/conditions/0/type").asText()).isEqualTo("Ready");

        assertThat(asA("GET", NS + "/pods/pa", null).status()).isEqualTo(200);
        TestApi.Answer running = api.call("PATCH", NS + "/pods/pa/status", "{\"status\":{\"phase\":\"Running\"}}",
                MERGE, auth(TestApi.NODE_A_TOKEN));
        assertThat(running.status()).isEqualTo(200);
        assertThat(running.body().at("/status/phase").asText()).isEqualTo("Running");
    }

    @Test
    void aNodeWritesItsOwnLeaseOnly() {
        TestApi.Answer created = asA("POST", LEASES, lease("a"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode renewed = created.body().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) renewed.path("spec"))
                .put("renewTime", "2025-01-01T00:00:10.000000Z");
        assertThat(asA("PUT", LEASES + "/a", renewed.toString()).status()).isEqualTo(200);
        assertThat(asA("GET", LEASES + "/a", null).status()).isEqualTo(200);

        TestApi.Answer foreign = asA("POST", LEASES, lease("b"));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body().path("message").asText()).isEqualTo("leases.coordination.k8s.io \"b\" is forbidden: "
                + "can only access node lease with the same name as the requesting node");
        assertThat(as(TestApi.NODE_B_TOKEN, "POST", LEASES, lease("b")).status()).isEqualTo(201);
        assertThat(asA("GET", LEASES + "/b", null).status()).isEqualTo(403);
        assertThat(asA("DELETE", LEASES + "/b", null).status()).isEqualTo(403);
        assertThat(asA("POST", "/apis/coordination.k8s.io/v1/namespaces/default/leases", lease("a")).status())
                .isEqualTo(403);
    }

    @Test
    void aNodeListsAndWatchesOnlyItsOwnPodsAndOnlyWithTheNodeNameSelector() {
        TestApi.Answer unselected = asA("GET", "/api/v1/pods", null);
        assertThat(unselected.status()).isEqualTo(403);
        assertThat(unselected.body().path("message").asText())
                .endsWith(": can only list/watch pods with spec.nodeName field selector");
        assertThat(asA("GET", NS + "/pods", null).status()).isEqualTo(403);
        assertThat(asA("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Db", null).status()).isEqualTo(403);
        assertThat(asA("GET", "/api/v1/pods?fieldSelector=spec.nodeName%21%3Da", null).status()).isEqualTo(403);

        TestApi.Answer own = asA("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Da", null);
        assertThat(own.status()).isEqualTo(200);
        assertThat(names(own.body())).containsExactly("pa");
        TestApi.Answer watch = asA("GET", "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Da", null);
        assertThat(watch.status()).isEqualTo(200);
        assertThat(watch.text()).contains("\"name\":\"pa\"").doesNotContain("\"name\":\"pb\"");
    }

    @Test
    void aNodeCannotSetRestrictedLabelsOrChangeItsTaints() {
        TestApi.Answer restricted = api.call("PATCH", "/api/v1/nodes/a",
                "{\"metadata\":{\"labels\":{\"node-restriction.kubernetes.io/trusted\":\"yes\"}}}", MERGE,
                auth(TestApi.NODE_A_TOKEN));
        assertThat(restricted.status()).isEqualTo(403);
        assertThat(restricted.body().path("message").asText()).isEqualTo(
                "nodes \"a\" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/trusted");
        assertThat(api.call("PATCH", "/api/v1/nodes/a", "{\"metadata\":{\"labels\":{\"kubernetes.io/os\":null}}}",
                MERGE, auth(TestApi.NODE_A_TOKEN)).status()).isEqualTo(200);
        assertThat(api.call("PATCH", "/api/v1/nodes/a",
                "{\"metadata\":{\"labels\":{\"node-role.kubernetes.io/control-plane\":\"\"}}}", MERGE,
                auth(TestApi.NODE_A_TOKEN)).status()).isEqualTo(403);
        assertThat(api.call("PATCH", "/api/v1/nodes/a", "{\"metadata\":{\"labels\":{\"example.com/pool\":\"x\"}}}",
                MERGE, auth(TestApi.NODE_A_TOKEN)).status()).isEqualTo(200);

        api.call("PATCH", "/api/v1/nodes/a",
                "{\"spec\":{\"taints\":[{\"key\":\"dedicated\",\"value\":\"db\",\"effect\":\"NoSchedule\"}]}}", MERGE,
                Map.of());
        TestApi.Answer untaint = api.call("PATCH", "/api/v1/nodes/a", "{\"spec\":{\"taints\":null}}", MERGE,
                auth(TestApi.NODE_A_TOKEN));
        assertThat(untaint.status()).isEqualTo(403);
        assertThat(untaint.body().path("message").asText()).endsWith("node \"a\" is not allowed to modify taints");
        assertThat(admin("GET", "/api/v1/nodes/a", null).at("/spec/taints/0/key").asText()).isEqualTo("dedicated");
    }

    @Test
    void aNodeRegistersOnlyItselfAndOnlyWithKubeletLabels() {
        TestApi.Answer other = asA("POST", "/api/v1/nodes", node("c"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body().path("message").asText())
                .isEqualTo("nodes \"c\" is forbidden: node \"a\" is not allowed to modify node \"c\"");
        admin("DELETE", "/api/v1/nodes/a", null);
        TestApi.Answer labelled = asA("POST", "/api/v1/nodes",
                "{\"metadata\":{\"name\":\"a\",\"labels\":{\"node-restriction.kubernetes.io/pool\":\"gpu\"}}}");
        assertThat(labelled.status()).isEqualTo(403);
        assertThat(labelled.body().path("message").asText()).isEqualTo("nodes \"a\" is forbidden: node \"a\" is not "
                + "allowed to set the following labels: node-restriction.kubernetes.io/pool");
        assertThat(asA("POST", "/api/v1/nodes", node("a")).status()).isEqualTo(201);
        assertThat(asA("DELETE", "/api/v1/nodes/a", null).status()).isEqualTo(403);
    }

    @Test
    void aNodeCannotCreatePods() {
        TestApi.Answer created = asA("POST", NS + "/pods",
                pod("sneaky", "a", "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]"));

        assertThat(created.status()).isEqualTo(403);
        assertThat(created.body().path("message").asText()).isEqualTo("pods \"sneaky\" is forbidden: pod does not "
                + "have \"kubernetes.io/config.mirror\" annotation, node \"a\" can only create mirror pods");
        assertThat(admin("GET", NS + "/pods/sneaky", null).path("code").asInt()).isEqualTo(404);
    }

    @Test
    void deletingThePodRevokesTheNodesAccessToWhatItUsed() {
        admin("DELETE", NS + "/pods/pa", null); // graceful: the node still runs the pod and may still read
        assertThat(admin("GET", NS + "/pods/pa", null).at("/metadata/deletionTimestamp").asText()).isNotEmpty();
        assertThat(asA("GET", NS + "/secrets/s-a", null).status()).isEqualTo(200);

        // The node agent completes the termination, as the kubelet does.
        assertThat(asA("DELETE", NS + "/pods/pa?gracePeriodSeconds=0", null).status()).isEqualTo(200);

        assertThat(asA("GET", NS + "/secrets/s-a", null).status()).isEqualTo(403);
        assertThat(asA("GET", NS + "/configmaps/cm-a", null).status()).isEqualTo(403);
        assertThat(asA("GET", NS + "/pods/pa", null).status()).isEqualTo(403);
    }

    @Test
    void aNodeSeesServicesAndEndpointSlicesAndRecordsEventsButNotNamespaces() {
        assertThat(asA("GET", "/api/v1/services", null).status()).isEqualTo(200);
        assertThat(asA("GET", "/apis/discovery.k8s.io/v1/endpointslices", null).status()).isEqualTo(200);
        assertThat(asA("POST", NS + "/events", """
                {"metadata":{"name":"pa.1"},"involvedObject":{"kind":"Pod","namespace":"default","name":"pa"},
                 "reason":"Started","message":"started","type":"Normal"}""").status()).isEqualTo(201);
        assertThat(asA("GET", "/api/v1/namespaces", null).status()).isEqualTo(403);
        assertThat(asA("POST", NS + "/services", "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"ports\":[{\"port\":80}]}}")
                .status()).isEqualTo(403);
    }

    @Test
    void aNodeGetsTokensOnlyForItsOwnPodsAndOnlyItsOwnNodeCredential() {
        String podA = admin("GET", NS + "/pods/pa", null).at("/metadata/uid").asText();
        String podB = admin("GET", NS + "/pods/pb", null).at("/metadata/uid").asText();

        assertThat(asA("POST", NS + "/serviceaccounts/runner-a/token", tokenRequest("pa", podA)).status())
                .isEqualTo(201);
        TestApi.Answer others = asA("POST", NS + "/serviceaccounts/default/token", tokenRequest("pb", podB));
        assertThat(others.status()).as(others.text()).isEqualTo(403);
        assertThat(asA("POST", NS + "/serviceaccounts/runner-a/token",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}")
                .status()).isEqualTo(403);

        String renewal = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}";
        assertThat(asA("POST", "/api/v1/nodes/a/token", renewal).status()).isEqualTo(201);
        assertThat(asA("POST", "/api/v1/nodes/b/token", renewal).status()).isEqualTo(403);
    }

    private static String tokenRequest(String pod, String uid) {
        return """
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",
                 "spec":{"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"%s","uid":"%s"}}}"""
                .formatted(pod, uid);
    }

    private TestApi.Answer asA(String method, String path, String body) {
        return as(TestApi.NODE_A_TOKEN, method, path, body);
    }

    private TestApi.Answer as(String token, String method, String path, String body) {
        return api.callAs(token, method, path, body);
    }

    private JsonNode admin(String method, String path, String body) {
        return api.call(method, path, body).body();
    }

    private static Map<String, String> auth(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String node(String name) {
        return """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s",
                 "labels":{"kubernetes.io/hostname":"%s","kubernetes.io/os":"linux"}}}""".formatted(name, name);
    }

    private static String pod(String name, String node, String spec) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"nodeName":"%s",%s}}"""
                .formatted(name, node, spec);
    }

    private static String lease(String name) {
        return """
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"%s"},
                 "spec":{"holderIdentity":"%s","leaseDurationSeconds":40,
                         "renewTime":"2025-01-01T00:00:00.000000Z"}}""".formatted(name, name);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items").forEach(item -> names.add(item.at("/metadata/name").asText()));
        return names;
    }
}
