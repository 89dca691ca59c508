package dev.kumo.e2e.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.SharedCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pod's service-account token as an in-pod client uses it: what ServiceAccount admission mounts into the pod
 * (the token the node agent requests for it, bound to the pod; the CA from {@code kube-root-ca.crt}; the
 * namespace) is all a client library needs to reach the API as the pod's service account, with that account's
 * RBAC rights only, and the token stops working once the pod is gone.
 */
@ExtendWith(SharedCluster.class)
class ServiceAccountTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KumoCluster cluster;
    private final ApiClient admin;

    ServiceAccountTokenTest(KumoCluster cluster) {
        this.cluster = cluster;
        this.admin = cluster.api();
    }

    @Test
    void aPodsTokenWorksWithAClientLibraryUntilThePodIsDeleted() throws Exception {
        String ns = cluster.newNamespace("sa-token");
        admin.post("/api/v1/namespaces/" + ns + "/serviceaccounts", json("""
                {"metadata":{"name":"reader"}}""")).expect(201);
        admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/" + ns + "/rolebindings", json("""
                {"metadata":{"name":"reader-view"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
                 "subjects":[{"kind":"ServiceAccount","name":"reader","namespace":"%s"}]}""".formatted(ns)))
                .expect(201);
        JsonNode pod = admin.post("/api/v1/namespaces/" + ns + "/pods", json("""
                {"metadata":{"name":"app"},"spec":{"serviceAccountName":"reader",
                 "containers":[{"name":"c","image":"busybox"}]}}""")).expect(201).json();
        // What the node agent mounts at /var/run/secrets/kubernetes.io/serviceaccount: admission put it there.
        JsonNode mount = pod.at("/spec/containers/0/volumeMounts/0");
        assertThat(mount.path("mountPath").asText()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
        String ca = admin.get("/api/v1/namespaces/" + ns + "/configmaps/kube-root-ca.crt").expect(200).json()
                .at("/data/ca.crt").asText();
        String token = admin.post("/api/v1/namespaces/" + ns + "/serviceaccounts/reader/token", json("""
                {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{
                 "expirationSeconds":3607,
                 "boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"app","uid":"%s"}}}"""
                .formatted(pod.at("/metadata/uid").asText()))).expect(201).json().at("/status/token").asText();

        try (KubernetesClient inPod = client(token, ca, ns)) {
            List<Pod> pods = inPod.pods().list().getItems();
            assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactly("app");
            assertThatThrownBy(() -> inPod.secrets().list())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
                    .hasMessageContaining("system:serviceaccount:" + ns + ":reader");

            admin.delete("/api/v1/namespaces/" + ns + "/pods/app?gracePeriodSeconds=0").expect(200);

            assertThatThrownBy(() -> inPod.pods().list())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(401));
        }
    }

    /** A client configured as fabric8 configures itself inside a pod: token, CA and namespace, nothing else. */
    private KubernetesClient client(String token, String ca, String namespace) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(cluster.kubeconfig().server().toString())
                .withOauthToken(token)
                .withCaCertData(java.util.Base64.getEncoder().encodeToString(ca.getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)))
                .withNamespace(namespace)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
