package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** ResourceQuotas as a resource, ResourceQuota admission and the usage reconciler, through the API. */
class ResourceQuotaAdmissionTest {
    private static final String NS = "/api/v1/namespaces/quoted";
    private final TestApi api = new TestApi();

    @BeforeEach
    void namespace() {
        api.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"quoted\"}}");
    }

    private TestApi.Answer quota(String name, String hard) {
        return api.call("POST", NS + "/resourcequotas", """
                {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"%s"},"spec":{"hard":%s}}"""
                .formatted(name, hard));
    }

    private TestApi.Answer pod(String name, String resources) {
        return api.call("POST", NS + "/pods", """
                {"metadata":{"name":"%s"},"spec":{"containers":[{"name":"app","image":"busybox:1.36",
                 "resources":%s}]}}""".formatted(name, resources));
    }

    private JsonNode status(String quota) {
        return TestApi.json(api.call("GET", NS + "/resourcequotas/" + quota, null).body().path("status"));
    }

    @Test
    void aNewQuotaGetsItsStatusFromWhatTheNamespaceHolds() {
        pod("before", "{\"requests\":{\"cpu\":\"250m\"}}");
        api.call("POST", NS + "/configmaps", TestApi.configMap("settings", "1"));

        TestApi.Answer created = quota("q", """
                {"pods":"10","requests.cpu":"2","limits.memory":"1Gi","count/configmaps":"5","configmaps":"5",
                 "count/deployments.apps":"3"}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(status("q")).isEqualTo(TestApi.json("""
                {"hard":{"configmaps":"5","count/configmaps":"5","count/deployments.apps":"3","limits.memory":"1Gi",
                         "pods":"10","requests.cpu":"2"},
                 "used":{"configmaps":"2","count/configmaps":"2","count/deployments.apps":"0","limits.memory":"0",
                         "pods":"1","requests.cpu":"250m"}}"""));
    }

    @Test
    void aPodOverThePodCountIsRefusedWithKubernetesMessage() {
        quota("q", "{\"pods\":\"2\"}");
        assertThat(pod("a", "{}").status()).isEqualTo(201);
        assertThat(pod("b", "{}").status()).isEqualTo(201);

        TestApi.Answer refused = pod("c", "{}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("message").asText()).isEqualTo("pods \"c\" is forbidden: exceeded quota: q, "
                + "requested: pods=1, used: pods=2, limited: pods=2");
        assertThat(status("q").path("used")).isEqualTo(TestApi.json("{\"pods\":\"2\"}"));
    }

    @Test
    void cpuRequestsAreChargedAndMustBeStated() {
        quota("compute", "{\"requests.cpu\":\"1\",\"limits.cpu\":\"2\"}");

        TestApi.Answer missing = pod("none", "{}");
        TestApi.Answer first = pod("first", "{\"requests\":{\"cpu\":\"600m\"},\"limits\":{\"cpu\":\"1\"}}");
        TestApi.Answer second = pod("second", "{\"requests\":{\"cpu\":\"0.5\"},\"limits\":{\"cpu\":\"500m\"}}");

        assertThat(missing.body().path("message").asText()).isEqualTo("pods \"none\" is forbidden: failed quota: "
                + "compute: must specify limits.cpu for: app; requests.cpu for: app");
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.body().path("message").asText()).isEqualTo("pods \"second\" is forbidden: exceeded quota: "
                + "compute, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1");
        assertThat(status("compute").path("used")).isEqualTo(TestApi.json("""
                {"limits.cpu":"1","requests.cpu":"600m"}"""));
    }

    @Test
    void usageFollowsCreatesDeletesFinishedPodsAndRefusedCreates() {
        quota("q", "{\"pods\":\"5\",\"requests.memory\":\"1Gi\",\"count/pods\":\"10\"}");
        for (String name : List.of("a", "b", "c")) {
            assertThat(pod(name, "{\"requests\":{\"memory\":\"128Mi\"}}").status()).isEqualTo(201);
        }
        assertThat(status("q").path("used")).isEqualTo(TestApi.json("""
                {"count/pods":"3","pods":"3","requests.memory":"384Mi"}"""));

        api.call("DELETE", NS + "/pods/a", null);
        assertThat(status("q").path("used")).isEqualTo(TestApi.json("""
                {"count/pods":"2","pods":"2","requests.memory":"256Mi"}"""));

        api.call("PATCH", NS + "/pods/b/status", "{\"status\":{\"phase\":\"Succeeded\"}}",
                "application/merge-patch+json", Map.of());
        assertThat(status("q").path("used")).isEqualTo(TestApi.json("""
                {"count/pods":"2","pods":"1","requests.memory":"128Mi"}"""));

        assertThat(pod("c", "{\"requests\":{\"memory\":\"128Mi\"}}").status()).isEqualTo(409);
        assertThat(status("q").path("used")).isEqualTo(TestApi.json("""
                {"count/pods":"2","pods":"1","requests.memory":"128Mi"}"""));
    }

    @Test
    void roomADeleteFreesIsUsableAtOnce() {
        quota("q", "{\"pods\":\"1\"}");
        assertThat(pod("a", "{}").status()).isEqualTo(201);
        assertThat(pod("b", "{}").status()).isEqualTo(403);

        assertThat(api.call("DELETE", NS + "/pods/a", null).status()).isEqualTo(200);

        TestApi.Answer b = pod("b", "{}");
        assertThat(b.status()).as(b.text()).isEqualTo(201);
    }

    /** A create that admission charged for but that failed before the store took it (here: its IP is taken). */
    @Test
    void aCreateRefusedAfterAdmissionGivesItsChargeBack() {
        quota("q", "{\"services\":\"1\"}");
        String service = """
                {"metadata":{"name":"%s"},"spec":{%s"ports":[{"port":80}]}}""";

        // 10.96.0.1 is the kubernetes service's.
        TestApi.Answer taken = api.call("POST", NS + "/services", service.formatted("taken",
                "\"clusterIP\":\"10.96.0.1\","));
        TestApi.Answer next = api.call("POST", NS + "/services", service.formatted("web", ""));

        assertThat(taken.status()).as(taken.text()).isEqualTo(422);
        assertThat(next.status()).as(next.text()).isEqualTo(201);
        assertThat(status("q").path("used")).isEqualTo(TestApi.json("{\"services\":\"1\"}"));
    }

    @Test
    void raisingTheLimitTakesEffectAtOnce() {
        quota("q", "{\"pods\":\"1\"}");
        pod("a", "{}");
        assertThat(pod("b", "{}").status()).isEqualTo(403);

        api.call("PATCH", NS + "/resourcequotas/q", "{\"spec\":{\"hard\":{\"pods\":\"2\"}}}",
                "application/merge-patch+json", Map.of());

        assertThat(pod("b", "{}").status()).isEqualTo(201);
        assertThat(status("q")).isEqualTo(TestApi.json("{\"hard\":{\"pods\":\"2\"},\"used\":{\"pods\":\"2\"}}"));
    }

    @Test
    void objectCountsOfOtherKindsAreLimitedToo() {
        quota("q", "{\"count/configmaps\":\"2\"}");

        // kube-root-ca.crt is already one of the two.
        assertThat(api.call("POST", NS + "/configmaps", TestApi.configMap("one", "1")).status()).isEqualTo(201);
        TestApi.Answer refused = api.call("POST", NS + "/configmaps", TestApi.configMap("two", "1"));

        assertThat(refused.body().path("message").asText()).isEqualTo("configmaps \"two\" is forbidden: exceeded "
                + "quota: q, requested: count/configmaps=1, used: count/configmaps=2, limited: count/configmaps=2");
    }

    @Test
    void scopedQuotasCountOnlyThePodsTheySelect() {
        api.call("POST", NS + "/resourcequotas", """
                {"metadata":{"name":"best-effort"},"spec":{"hard":{"pods":"1"},"scopes":["BestEffort"]}}""");

        assertThat(pod("free", "{}").status()).isEqualTo(201);
        assertThat(pod("sized", "{\"requests\":{\"cpu\":\"1\"}}").status()).isEqualTo(201);
        assertThat(pod("free2", "{}").status()).isEqualTo(403);
    }

    @Test
    void invalidQuotasAreRefused() {
        TestApi.Answer answer = quota("bad", "{\"pods\":\"1500m\",\"cpu\":\"-1\",\"disks\":\"1\"}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body().path("message").asText()).contains(
                "spec.hard[pods]: Invalid value: \"1500m\": must be an integer",
                "spec.hard[cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
                "spec.hard[disks]: Invalid value: \"disks\": must be a standard resource type or fully qualified");
    }

    @Test
    void kubectlGetShowsUsedOverHard() {
        quota("q", "{\"pods\":\"4\",\"limits.cpu\":\"2\",\"requests.cpu\":\"1\"}");
        pod("a", "{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"cpu\":\"200m\"}}");

        JsonNode table = api.call("GET", NS + "/resourcequotas", null, null,
                Map.of("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")).body();

        assertThat(table.at("/columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "Age", "Request", "Limit");
        JsonNode cells = table.at("/rows/0/cells");
        assertThat(cells.get(2).asText()).isEqualTo("pods: 1/4, requests.cpu: 100m/1");
        assertThat(cells.get(3).asText()).isEqualTo("limits.cpu: 200m/2");
    }

    /** Parallel creates against pods=K: exactly K get in, whatever the interleaving, and the usage says K. */
    @Test
    void parallelCreatesNeverExceedTheQuota() throws Exception {
        int limit = 4;
        int writers = 12;
        quota("q", "{\"pods\":\"" + limit + "\"}");
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<TestApi.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String name = "p" + i;
            answers.add(pool.submit(() -> {
                start.await();
                return pod(name, "{}");
            }));
        }
        start.countDown();
        int created = 0;
        for (Future<TestApi.Answer> answer : answers) {
            TestApi.Answer result = answer.get();
            if (result.status() == 201) {
                created++;
            } else {
                assertThat(result.status()).as(result.text()).isEqualTo(403);
                assertThat(result.body().path("message").asText()).contains("exceeded quota: q");
            }
        }
        pool.shutdown();

        assertThat(created).isEqualTo(limit);
        assertThat(api.call("GET", NS + "/pods", null).body().path("items")).hasSize(limit);
        assertThat(status("q").path("used")).isEqualTo(TestApi.json("{\"pods\":\"" + limit + "\"}"));
    }
}
