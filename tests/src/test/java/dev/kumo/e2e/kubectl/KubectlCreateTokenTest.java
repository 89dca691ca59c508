package dev.kumo.e2e.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl create token}: the real kubectl asks the TokenRequest API for a service-account token (in protobuf),
 * prints it, and the token then authenticates as the service account until the pod it is bound to is deleted. No
 * role binds these service accounts, so the 403 naming the user is what proves who the server took them for.
 */
@ExtendWith(SharedCluster.class)
class KubectlCreateTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KumoCluster cluster;

    KubectlCreateTokenTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void aTokenFromKubectlAuthenticatesItsServiceAccount(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("create-token-" + version);
        kubectl.run("create", "serviceaccount", "builder", "-n", ns).ok();

        String token = kubectl.run("create", "token", "builder", "-n", ns, "--duration", "20m").ok().out().strip();

        JsonNode claims = payload(token);
        assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:" + ns + ":builder");
        assertThat(claims.path("iss").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1200);
        assertThat(claims.at("/kubernetes.io/serviceaccount/name").asText()).isEqualTo("builder");
        assertThat(kubectl.run("--token", token, "get", "pods", "-n", ns).failed().err())
                .contains("User \"system:serviceaccount:" + ns + ":builder\" cannot list resource \"pods\"");
    }

    @ForEachKubectl
    void aPodBoundTokenStopsWorkingWhenThePodIsDeleted(String version) throws Exception {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("pod-token-" + version);
        kubectl.run("create", "serviceaccount", "builder", "-n", ns).ok();
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: build, namespace: %s}
                spec:
                  serviceAccountName: builder
                  containers: [{name: app, image: registry.k8s.io/pause:3.9}]
                """.formatted(ns), "create", "-f", "-").ok();

        String token = kubectl.run("create", "token", "builder", "-n", ns, "--bound-object-kind", "Pod",
                "--bound-object-name", "build").ok().out().strip();

        assertThat(payload(token).at("/kubernetes.io/pod/name").asText()).isEqualTo("build");
        assertThat(kubectl.run("--token", token, "get", "configmaps", "-n", ns).failed().err())
                .contains("User \"system:serviceaccount:" + ns + ":builder\"");

        kubectl.run("delete", "pod", "build", "-n", ns).ok();

        assertThat(kubectl.run("--token", token, "get", "configmaps", "-n", ns).failed().err())
                .contains("Unauthorized");
    }

    @ForEachKubectl
    void refusedTokenRequestsAreExplained(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("bad-token-" + version);
        kubectl.run("create", "serviceaccount", "builder", "-n", ns).ok();

        assertThat(kubectl.run("create", "token", "builder", "-n", ns, "--duration", "1m").failed().err())
                .contains("spec.expirationSeconds").contains("may not specify a duration less than 10 minutes");
        assertThat(kubectl.run("create", "token", "nobody", "-n", ns).failed().err())
                .contains("serviceaccounts \"nobody\" not found");
        assertThat(kubectl.run("create", "token", "builder", "-n", ns, "--bound-object-kind", "Pod",
                "--bound-object-name", "missing").failed().err()).contains("pods \"missing\" not found");
    }

    /** The JWT's claims (the signature is the server's business; the API tests check it). */
    private static JsonNode payload(String token) throws Exception {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}
