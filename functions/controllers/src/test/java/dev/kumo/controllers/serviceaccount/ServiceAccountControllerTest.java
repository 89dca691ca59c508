package dev.kumo.controllers.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The serviceaccount loop: one reconcile of one key against the real API, as kube-controller-manager. */
class ServiceAccountControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";

    private final ControlLoop loop = ServiceAccountController.loop(
            CLUSTER.controllerContext(ServiceAccountController.COMPONENT, Clock.systemUTC()), CA);

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    private Result reconcile(ObjectKey key) throws Exception {
        return loop.reconciler().reconcile(key);
    }

    private Result reconcileNamespace(String namespace) throws Exception {
        return reconcile(ObjectKey.cluster("namespaces", namespace));
    }

    private static String namespace() {
        String name = "sa-" + UUID.randomUUID().toString().substring(0, 8);
        ADMIN.create(ResourceType.NAMESPACES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}"));
        return name;
    }

    private static ObjectNode serviceAccount(String namespace, String name) {
        return ADMIN.create(ResourceType.SERVICE_ACCOUNTS, namespace, TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"" + name + "\"}}"));
    }

    private static ObjectNode tokenSecret(String namespace, String name, String account) {
        return ADMIN.create(ResourceType.SECRETS, namespace, TestCluster.object("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s",
                 "annotations":{"kubernetes.io/service-account.name":"%s"}},
                 "type":"kubernetes.io/service-account-token"}""".formatted(name, account)));
    }

    private static String decoded(ObjectNode secret, String key) {
        return new String(Base64.getDecoder().decode(secret.path("data").path(key).asText("")),
                StandardCharsets.UTF_8);
    }

    @Test
    void aDeletedDefaultServiceAccountIsCreatedAgain() throws Exception {
        String ns = namespace();
        ADMIN.delete(ResourceType.SERVICE_ACCOUNTS, ns, "default", null, null);

        assertThat(reconcileNamespace(ns)).isEqualTo(Result.DONE);

        ObjectNode account = ADMIN.get(ResourceType.SERVICE_ACCOUNTS, ns, "default").orElseThrow();
        String version = account.path("metadata").path("resourceVersion").asText();
        reconcileNamespace(ns);
        assertThat(ADMIN.get(ResourceType.SERVICE_ACCOUNTS, ns, "default").orElseThrow().path("metadata")
                .path("resourceVersion").asText()).isEqualTo(version);
    }

    @Test
    void theRootCaConfigMapIsPublishedAndPutBackWhenChanged() throws Exception {
        String ns = namespace();

        reconcileNamespace(ns);

        ObjectNode published = ADMIN.get(ResourceType.CONFIG_MAPS, ns, "kube-root-ca.crt").orElseThrow();
        assertThat(published.path("data")).isEqualTo(TestCluster.object("{\"ca.crt\":\"" + CA.replace("\n", "\\n")
                + "\"}"));
        assertThat(published.path("metadata").path("annotations").path("kubernetes.io/description").asText())
                .startsWith("Contains a CA bundle that can be used to verify the kube-apiserver");

        ObjectNode tamper = ADMIN.mapper().createObjectNode();
        tamper.putObject("data").put("ca.crt", "forged").put("extra", "x");
        tamper.putObject("metadata").putObject("annotations").putNull("kubernetes.io/description");
        ADMIN.mergePatch(ResourceType.CONFIG_MAPS, ns, "kube-root-ca.crt", "", tamper);
        reconcileNamespace(ns);

        ObjectNode fixed = ADMIN.get(ResourceType.CONFIG_MAPS, ns, "kube-root-ca.crt").orElseThrow();
        assertThat(fixed.path("data")).isEqualTo(published.path("data"));
        assertThat(fixed.path("metadata").path("annotations").path("kubernetes.io/description").asText())
                .isNotEmpty();

        ADMIN.delete(ResourceType.CONFIG_MAPS, ns, "kube-root-ca.crt", null, null);
        reconcileNamespace(ns);
        assertThat(ADMIN.get(ResourceType.CONFIG_MAPS, ns, "kube-root-ca.crt")).isPresent();
    }

    @Test
    void aTerminatingNamespaceGetsNothing() throws Exception {
        String ns = namespace();
        ADMIN.delete(ResourceType.SERVICE_ACCOUNTS, ns, "default", null, null);
        ADMIN.delete(ResourceType.NAMESPACES, "", ns, null, null);

        assertThat(reconcileNamespace(ns)).isEqualTo(Result.DONE);
        assertThat(reconcileNamespace("never-existed")).isEqualTo(Result.DONE);

        assertThat(ADMIN.get(ResourceType.SERVICE_ACCOUNTS, ns, "default")).isEmpty();
    }

    @Test
    void theApiFillsATokenSecretWithATokenItAccepts() throws Exception {
        String ns = namespace();
        ObjectNode account = serviceAccount(ns, "builder");

        ObjectNode secret = tokenSecret(ns, "builder-token", "builder");

        assertThat(decoded(secret, "namespace")).isEqualTo(ns);
        assertThat(secret.path("metadata").path("annotations").path("kubernetes.io/service-account.uid").asText())
                .isEqualTo(account.path("metadata").path("uid").asText());
        String token = decoded(secret, "token");
        KubeClient asBuilder = CLUSTER.client(token);
        assertThat(asBuilder.getPath("/api").path("versions").toString()).contains("v1");
        // The loop finds nothing to do.
        String version = secret.path("metadata").path("resourceVersion").asText();
        reconcile(new ObjectKey("secrets", ns, "builder-token"));
        assertThat(ADMIN.get(ResourceType.SECRETS, ns, "builder-token").orElseThrow().path("metadata")
                .path("resourceVersion").asText()).isEqualTo(version);

        // The token dies with its Secret.
        ADMIN.delete(ResourceType.SECRETS, ns, "builder-token", null, null);
        assertThatThrownBy(() -> asBuilder.getPath("/api"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(401));
    }

    @Test
    void aTokenSecretMustNameItsServiceAccount() {
        String ns = namespace();

        assertThatThrownBy(() -> ADMIN.create(ResourceType.SECRETS, ns, TestCluster.object("""
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"anonymous"},
                 "type":"kubernetes.io/service-account-token"}""")))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("metadata.annotations[kubernetes.io/service-account.name]");
                });
    }

    @Test
    void aTokenSecretWrittenBeforeItsServiceAccountIsFilledOnceTheAccountExists() throws Exception {
        String ns = namespace();
        ObjectNode early = tokenSecret(ns, "early", "late-account");
        assertThat(early.path("data").has("token")).isFalse();
        serviceAccount(ns, "late-account");

        assertThat(reconcile(new ObjectKey("secrets", ns, "early"))).isEqualTo(Result.DONE);

        ObjectNode filled = ADMIN.get(ResourceType.SECRETS, ns, "early").orElseThrow();
        assertThat(decoded(filled, "token")).isNotEmpty();
        assertThat(decoded(filled, "namespace")).isEqualTo(ns);
    }

    @Test
    void tokenSecretsOfMissingOrReplacedServiceAccountsAreDeleted() throws Exception {
        String ns = namespace();
        tokenSecret(ns, "orphan", "nobody");
        reconcile(new ObjectKey("secrets", ns, "orphan"));
        assertThat(ADMIN.get(ResourceType.SECRETS, ns, "orphan")).isEmpty();

        serviceAccount(ns, "ci");
        tokenSecret(ns, "ci-token", "ci");
        ADMIN.delete(ResourceType.SERVICE_ACCOUNTS, ns, "ci", null, null);
        serviceAccount(ns, "ci"); // another account of the same name: the token named the old one's uid
        assertThat(reconcile(new ObjectKey("serviceaccounts", ns, "ci"))).isEqualTo(Result.DONE);
        assertThat(ADMIN.get(ResourceType.SECRETS, ns, "ci-token")).isEmpty();
    }

    @Test
    void theKeysOfChanges() {
        ObjectNode active = TestCluster.object("{\"metadata\":{\"name\":\"a\"},\"status\":{\"phase\":\"Active\"}}");
        ObjectNode deleting = TestCluster.object(
                "{\"metadata\":{\"name\":\"a\",\"deletionTimestamp\":\"2025-01-01T00:00:00Z\"}}");
        ObjectKey namespace = ObjectKey.cluster("namespaces", "a");
        record Case(WatchEvent.Type type, ObjectKey key, ObjectNode object, List<ObjectKey> expected) {
        }
        List<Case> cases = List.of(
                new Case(WatchEvent.Type.ADDED, namespace, active, List.of(namespace)),
                new Case(WatchEvent.Type.MODIFIED, namespace, deleting, List.of()),
                new Case(WatchEvent.Type.DELETED, new ObjectKey("serviceaccounts", "a", "default"), active,
                        List.of(new ObjectKey("serviceaccounts", "a", "default"), namespace)),
                new Case(WatchEvent.Type.MODIFIED, new ObjectKey("serviceaccounts", "a", "default"), active,
                        List.of()),
                new Case(WatchEvent.Type.ADDED, new ObjectKey("serviceaccounts", "a", "ci"), active,
                        List.of(new ObjectKey("serviceaccounts", "a", "ci"))),
                new Case(WatchEvent.Type.MODIFIED, new ObjectKey("configmaps", "a", "kube-root-ca.crt"), active,
                        List.of(namespace)),
                new Case(WatchEvent.Type.DELETED, new ObjectKey("configmaps", "a", "kube-root-ca.crt"), active,
                        List.of(namespace)),
                new Case(WatchEvent.Type.MODIFIED, new ObjectKey("configmaps", "a", "other"), active, List.of()),
                // A secret by its key only: the fan-out may not be able to read it.
                new Case(WatchEvent.Type.ADDED, new ObjectKey("secrets", "a", "s"), null,
                        List.of(new ObjectKey("secrets", "a", "s"))),
                new Case(WatchEvent.Type.DELETED, new ObjectKey("secrets", "a", "s"), null, List.of()));
        for (Case c : cases) {
            assertThat(loop.keys().keysFor(new WatchEvent(c.type(), 5, c.key(), c.object(), 4)))
                    .as(c.type() + " " + c.key()).isEqualTo(c.expected());
        }
    }
}
