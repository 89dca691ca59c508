package dev.kumo.node.volumes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.node.testing.NodeTestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pod volumes set up from the real API (DynamoDB Local): contents, modes, errors, refreshes, tear-down. */
class PodVolumesTest {
    private static NodeTestCluster cluster;
    private static KubeClient admin;

    @TempDir
    Path root;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T00:00:00Z"));

    @BeforeAll
    static void start() {
        cluster = new NodeTestCluster();
        admin = cluster.admin();
        admin.create(ResourceType.CONFIG_MAPS, "default", object("""
                {"metadata": {"name": "settings"}, "data": {"greeting": "hello", "color": "blue"},
                 "binaryData": {"logo": "AAEC"}}"""));
        admin.create(ResourceType.SECRETS, "default", object("""
                {"metadata": {"name": "creds"}, "data": {"password": "czNjcmV0"}}"""));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private PodVolumes volumes() {
        return new PodVolumes(root, admin, clock);
    }

    private static ObjectNode pod(String name, String volumes) {
        return admin.create(ResourceType.PODS, "default", object("""
                {"metadata": {"name": "%s"},
                 "spec": {"containers": [{"name": "c", "image": "busybox"}], "volumes": %s}}"""
                .formatted(name, volumes)));
    }

    @Test
    void configMapAndSecretVolumesHoldTheirKeysReadOnly() throws Exception {
        ObjectNode pod = pod("keyed", """
                [{"name": "config", "configMap": {"name": "settings"}},
                 {"name": "picked", "configMap": {"name": "settings", "defaultMode": 288,
                                                  "items": [{"key": "color", "path": "sub/colour", "mode": 256}]}},
                 {"name": "secret", "secret": {"secretName": "creds"}}]""");

        Map<String, MountedVolume> mounted = volumes().setUp(pod);

        Path config = mounted.get("config").hostPath();
        assertThat(config).startsWith(root.resolve(pod.path("metadata").path("uid").asText())
                .resolve("kubernetes.io~configmap"));
        assertThat(Files.readString(config.resolve("greeting"))).isEqualTo("hello");
        assertThat(Files.readAllBytes(config.resolve("logo"))).containsExactly(0, 1, 2);
        Path picked = mounted.get("picked").hostPath();
        assertThat(Files.readString(picked.resolve("sub/colour"))).isEqualTo("blue");
        assertThat(Files.exists(picked.resolve("greeting"))).as("only the items").isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(picked.resolve("sub/colour"))))
                .isEqualTo("r--------");
        assertThat(Files.readString(mounted.get("secret").hostPath().resolve("password"))).isEqualTo("s3cret");
        assertThat(mounted.values()).allMatch(MountedVolume::alwaysReadOnly);
    }

    @Test
    void missingObjectsAndKeysFailUnlessOptional() throws Exception {
        ObjectNode missing = pod("missing", "[{\"name\": \"config\", \"configMap\": {\"name\": \"absent\"}}]");
        assertThatThrownBy(() -> volumes().setUp(missing)).isInstanceOf(VolumeError.class)
                .hasMessage("MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found");

        ObjectNode badKey = pod("bad-key", """
                [{"name": "s", "secret": {"secretName": "creds", "items": [{"key": "nope", "path": "p"}]}}]""");
        assertThatThrownBy(() -> volumes().setUp(badKey))
                .hasMessage("MountVolume.SetUp failed for volume \"s\" : secret references non-existent secret key: "
                        + "nope");

        ObjectNode optional = pod("optional", """
                [{"name": "config", "configMap": {"name": "absent", "optional": true}}]""");
        Path directory = volumes().setUp(optional).get("config").hostPath();
        try (var entries = Files.list(directory)) {
            assertThat(entries.map(path -> path.getFileName().toString())).containsOnly("..data",
                    Files.readSymbolicLink(directory.resolve("..data")).toString());
        }
    }

    @Test
    void contentFollowsTheConfigMapAfterTheSyncPeriodAndSurvivesItsDeletion() throws Exception {
        admin.create(ResourceType.CONFIG_MAPS, "default", object("""
                {"metadata": {"name": "changing"}, "data": {"v": "1"}}"""));
        ObjectNode pod = pod("refresh", "[{\"name\": \"c\", \"configMap\": {\"name\": \"changing\"}}]");
        PodVolumes volumes = volumes();
        Path file = volumes.setUp(pod).get("c").hostPath().resolve("v");

        admin.mergePatch(ResourceType.CONFIG_MAPS, "default", "changing", "", object("{\"data\": {\"v\": \"2\"}}"));
        volumes.setUp(pod);
        assertThat(Files.readString(file)).as("not before the sync period").isEqualTo("1");
        clock.advance(Duration.ofSeconds(61));
        volumes.setUp(pod);
        assertThat(Files.readString(file)).isEqualTo("2");

        admin.delete(ResourceType.CONFIG_MAPS, "default", "changing", admin.mapper().createObjectNode());
        clock.advance(Duration.ofSeconds(61));
        assertThat(volumes.setUp(pod).get("c").hostPath().resolve("v")).isEqualTo(file);
        assertThat(Files.readString(file)).as("a failed refresh keeps the content").isEqualTo("2");
        assertThatThrownBy(() -> new PodVolumes(root.resolve("elsewhere"), admin, clock).setUp(pod))
                .as("but a first set-up fails").hasMessageContaining("configmap \"changing\" not found");
    }

    @Test
    void theServiceAccountVolumeHoldsABoundTokenTheCaAndTheNamespace() throws Exception {
        ObjectNode pod = admin.create(ResourceType.PODS, "default", object("""
                {"metadata": {"name": "sa"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}"""));
        String volume = pod.path("spec").path("volumes").get(0).path("name").asText();
        assertThat(volume).as("admission adds the projected volume").startsWith("kube-api-access-");

        Path directory = volumes().setUp(pod).get(volume).hostPath();

        String token = Files.readString(directory.resolve("token"));
        assertThat(token.split("\\.")).as("a JWT").hasSize(3);
        assertThat(Files.readString(directory.resolve("namespace"))).isEqualTo("default");
        assertThat(Files.readString(directory.resolve("ca.crt"))).isEqualTo(admin.get(ResourceType.CONFIG_MAPS,
                "default", "kube-root-ca.crt").orElseThrow().path("data").path("ca.crt").asText());
        KubeClient asThePod = cluster.endpoint().client(() -> token, "volume-test");
        assertThatThrownBy(() -> asThePod.list(ResourceType.SECRETS, "default", "", ""))
                .as("the API knows the token: it refuses the service account, not an anonymous caller")
                .hasMessageContaining("\"system:serviceaccount:default:default\" cannot list resource \"secrets\"");
    }

    @Test
    void emptyDirAndHostPathAndTearDown(@TempDir Path host) throws Exception {
        Path made = host.resolve("made");
        ObjectNode pod = pod("local", """
                [{"name": "scratch", "emptyDir": {}},
                 {"name": "made", "hostPath": {"path": "%s", "type": "DirectoryOrCreate"}}]""".formatted(made));
        PodVolumes volumes = volumes();
        Map<String, MountedVolume> mounted = volumes.setUp(pod);

        Path scratch = mounted.get("scratch").hostPath();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch))).isEqualTo("rwxrwxrwx");
        assertThat(mounted.get("made").hostPath()).isEqualTo(made);
        assertThat(Files.isDirectory(made)).isTrue();
        assertThat(mounted.get("scratch").alwaysReadOnly()).isFalse();
        assertThat(mounted.get("made").alwaysReadOnly()).isFalse();
        Files.writeString(made.resolve("kept"), "the host's");

        volumes.tearDown(pod.path("metadata").path("uid").asText());
        assertThat(Files.exists(scratch)).isFalse();
        assertThat(Files.readString(made.resolve("kept"))).as("a hostPath is never removed").isEqualTo("the host's");

        ObjectNode wrongType = pod("wrong-type", """
                [{"name": "f", "hostPath": {"path": "%s", "type": "File"}}]""".formatted(made));
        assertThatThrownBy(() -> volumes.setUp(wrongType)).hasMessage("MountVolume.SetUp failed for volume \"f\" : "
                + "hostPath type check failed: " + made + " is not a file");
        ObjectNode claim = pod("claim", "[{\"name\": \"data\", \"persistentVolumeClaim\": {\"claimName\": \"x\"}}]");
        assertThatThrownBy(() -> volumes.setUp(claim)).hasMessage("MountVolume.SetUp failed for volume \"data\" : "
                + "persistentVolumeClaim volumes are not supported by kumo's node agent");
    }
}
