package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ServiceAccount admission and what every namespace holds for it, through the API. */
class ServiceAccountAdmissionTest {
    private final TestApi api = new TestApi();

    static String pod(String name, String specExtra) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{%s"containers":[{"name":"app","image":"busybox:1.36"}]}}""".formatted(name, specExtra);
    }

    private String freshNamespace(String name) {
        assertThat(api.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}").status())
                .isEqualTo(201);
        return "/api/v1/namespaces/" + name;
    }

    @Test
    void aFreshNamespaceGetsTheDefaultServiceAccountAndTheRootCa() {
        String ns = freshNamespace("fresh");

        JsonNode account = api.call("GET", ns + "/serviceaccounts/default", null).body();
        JsonNode rootCa = api.call("GET", ns + "/configmaps/kube-root-ca.crt", null).body();

        assertThat(account.path("kind").asText()).isEqualTo("ServiceAccount");
        assertThat(account.at("/metadata/uid").asText()).isNotEmpty();
        assertThat(rootCa.at("/data/ca.crt").asText()).isEqualTo(TestApi.ROOT_CA);
        assertThat(rootCa.at("/metadata/annotations/kubernetes.io~1description").asText())
                .startsWith("Contains a CA bundle that can be used to verify the kube-apiserver");
        assertThat(rootCa.at("/metadata/managedFields/0/manager").asText()).isEqualTo("kube-controller-manager");
        for (String system : new String[]{"default", "kube-system", "kube-public", "kube-node-lease"}) {
            assertThat(api.call("GET", "/api/v1/namespaces/" + system + "/serviceaccounts/default", null).status())
                    .as(system).isEqualTo(200);
            assertThat(api.call("GET", "/api/v1/namespaces/" + system + "/configmaps/kube-root-ca.crt", null)
                    .status()).as(system).isEqualTo(200);
        }
    }

    @Test
    void aChangedRootCaIsPutBackOnBootstrap() {
        api.call("PATCH", "/api/v1/namespaces/default/configmaps/kube-root-ca.crt", "{\"data\":{\"ca.crt\":\"x\"}}",
                "application/merge-patch+json", java.util.Map.of());

        api.server.bootstrap();

        assertThat(api.call("GET", "/api/v1/namespaces/default/configmaps/kube-root-ca.crt", null).body()
                .at("/data/ca.crt").asText()).isEqualTo(TestApi.ROOT_CA);
    }

    @Test
    void aPodWithoutServiceAccountRunsAsDefaultWithTheTokenVolumeMountedEverywhere() {
        String ns = freshNamespace("sa");
        TestApi.Answer created = api.call("POST", ns + "/pods", """
                {"metadata":{"name":"web"},"spec":{
                  "initContainers":[{"name":"init","image":"busybox:1.36"}],
                  "containers":[{"name":"app","image":"busybox:1.36",
                                 "volumeMounts":[{"name":"data","mountPath":"/data"}]},
                                {"name":"own","image":"busybox:1.36","volumeMounts":[{"name":"mine",
                                  "mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
                  "volumes":[{"name":"data","emptyDir":{}},{"name":"mine","emptyDir":{}}]}}""");

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode spec = created.body().path("spec");
        assertThat(spec.path("serviceAccountName").asText()).isEqualTo("default");
        assertThat(spec.path("serviceAccount").asText()).isEqualTo("default");
        JsonNode volume = spec.path("volumes").get(2);
        String volumeName = volume.path("name").asText();
        assertThat(volumeName).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(TestApi.json(volume.path("projected"))).isEqualTo(TestApi.json("""
                {"sources":[
                  {"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
                  {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
                  {"downwardAPI":{"items":[{"path":"namespace",
                                            "fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}],
                 "defaultMode":420}"""));
        JsonNode mount = TestApi.json("""
                {"name":"%s","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}"""
                .formatted(volumeName));
        assertThat(TestApi.json(spec.at("/initContainers/0/volumeMounts"))).containsExactly(mount);
        assertThat(TestApi.json(spec.at("/containers/0/volumeMounts").get(1))).isEqualTo(mount);
        assertThat(spec.at("/containers/1/volumeMounts")).hasSize(1);
        assertThat(spec.at("/containers/1/volumeMounts/0/name").asText()).isEqualTo("mine");
        assertThat(api.call("GET", ns + "/pods/web", null).body().path("spec")).isEqualTo(spec);
    }

    @Test
    void automountCanBeTurnedOffByThePodOrByItsServiceAccount() {
        String ns = freshNamespace("optout");
        api.call("POST", ns + "/serviceaccounts", """
                {"metadata":{"name":"quiet"},"automountServiceAccountToken":false}""");

        JsonNode podOptOut = api.call("POST", ns + "/pods", pod("a", "\"automountServiceAccountToken\":false,"))
                .body();
        JsonNode accountOptOut = api.call("POST", ns + "/pods", pod("b", "\"serviceAccountName\":\"quiet\",")).body();
        JsonNode podOverrides = api.call("POST", ns + "/pods",
                pod("c", "\"serviceAccountName\":\"quiet\",\"automountServiceAccountToken\":true,")).body();

        assertThat(podOptOut.at("/spec/volumes").isMissingNode()).isTrue();
        assertThat(podOptOut.at("/spec/containers/0/volumeMounts").isMissingNode()).isTrue();
        assertThat(accountOptOut.at("/spec/serviceAccountName").asText()).isEqualTo("quiet");
        assertThat(accountOptOut.at("/spec/volumes").isMissingNode()).isTrue();
        assertThat(podOverrides.at("/spec/volumes/0/name").asText()).startsWith("kube-api-access-");
    }

    @Test
    void aPodNamingAMissingServiceAccountIsRefused() {
        String ns = freshNamespace("missing");

        TestApi.Answer refused = api.call("POST", ns + "/pods", pod("web", "\"serviceAccountName\":\"ghost\","));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("reason").asText()).isEqualTo("Forbidden");
        assertThat(refused.body().path("message").asText()).isEqualTo("pods \"web\" is forbidden: error looking up "
                + "service account missing/ghost: serviceaccount \"ghost\" not found");
        assertThat(api.call("GET", ns + "/pods/web", null).status()).isEqualTo(404);
    }

    @Test
    void theServiceAccountsImagePullSecretsAreCopiedToAPodThatNamesNone() {
        String ns = freshNamespace("pull");
        api.call("POST", ns + "/serviceaccounts", """
                {"metadata":{"name":"puller"},"imagePullSecrets":[{"name":"registry"}]}""");

        JsonNode pod = api.call("POST", ns + "/pods", pod("web", "\"serviceAccountName\":\"puller\",")).body();

        assertThat(TestApi.json(pod.at("/spec/imagePullSecrets"))).isEqualTo(TestApi.json("[{\"name\":\"registry\"}]"));
    }

    @Test
    void mirrorPodsMayNotReferenceServiceAccounts() {
        String ns = freshNamespace("mirror");

        TestApi.Answer refused = api.call("POST", ns + "/pods", """
                {"metadata":{"name":"static","annotations":{"kubernetes.io/config.mirror":"x"}},
                 "spec":{"serviceAccountName":"default","containers":[{"name":"a","image":"busybox:1.36"}]}}""");
        TestApi.Answer accepted = api.call("POST", ns + "/pods", """
                {"metadata":{"name":"static2","annotations":{"kubernetes.io/config.mirror":"x"}},
                 "spec":{"containers":[{"name":"a","image":"busybox:1.36"}]}}""");

        assertThat(refused.body().path("message").asText())
                .isEqualTo("pods \"static\" is forbidden: a mirror pod may not reference service accounts");
        assertThat(accepted.status()).isEqualTo(201);
        assertThat(accepted.body().at("/spec/serviceAccountName").isMissingNode()).isTrue();
        assertThat(accepted.body().at("/spec/volumes").isMissingNode()).isTrue();
    }
}
