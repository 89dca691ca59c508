package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.status.Conditions;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.cri.v1.ContainerFilter;
import dev.kumo.node.cri.v1.ListContainersRequest;
import dev.kumo.node.cri.v1.ListPodSandboxRequest;
import dev.kumo.node.cri.v1.PodSandboxFilter;
import dev.kumo.node.network.Ipv4Cidr;
import dev.kumo.node.testing.NodeTestCluster;
import dev.kumo.node.testing.PodWaits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node agent with the cri runtime on a private containerd, against the real API: a busybox httpd pod runs,
 * serves HTTP on its pod IP, and goes when deleted; an image that cannot be pulled backs off; a restarted agent
 * adopts its running pod.
 */
@Tag("containerd")
class CriRuntimeTest {
    private static NodeTestCluster cluster;
    private static KubeClient admin;
    private static CriTestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = CriTestNode.start();
        cluster = new NodeTestCluster();
        admin = cluster.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static final String HTTPD = """
            {"name": "web", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
             "command": ["sh", "-c", "mkdir -p /www && echo \\"hello from $(POD_NAME)\\" > /www/index.html && exec httpd -f -p 8080 -h /www"],
             "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
             "ports": [{"containerPort": 8080}],
             "resources": {"requests": {"cpu": "100m", "memory": "32Mi"}, "limits": {"cpu": "500m", "memory": "64Mi"}}}""";

    @Test
    void anHttpdPodRunsServesItsPodIpAndGoesWhenDeleted() throws Exception {
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-web");
             CriClient cri = node.client()) {
            ObjectNode created = createPod("web", "cri-web", HTTPD, 2);
            Instant createdAt = Instant.now();
            ObjectNode running = await("web", pod -> "Running".equals(phase(pod)), Duration.ofSeconds(60));
            Duration toRunning = Duration.between(createdAt, Instant.now());
            ObjectNode ready = await("web", CriRuntimeTest::isReady, Duration.ofSeconds(30));
            System.out.printf("cri pod created -> Running: %d ms, -> Ready: %d ms%n", toRunning.toMillis(),
                    Duration.between(createdAt, Instant.now()).toMillis());

            JsonNode status = ready.path("status");
            String podIp = status.path("podIP").asText();
            assertThat(Ipv4Cidr.parse(node.podCidr).contains(Ipv4Cidr.parseAddress(podIp))).as(podIp).isTrue();
            JsonNode container = status.path("containerStatuses").get(0);
            assertThat(container.path("containerID").asText()).matches("containerd://[0-9a-f]{64}");
            assertThat(container.path("imageID").asText()).isNotEmpty();
            assertThat(container.path("image").asText()).isEqualTo("kumo.local/busybox:latest");
            assertThat(container.path("restartCount").asInt()).isZero();
            assertThat(container.path("state").path("running").hasNonNull("startedAt")).isTrue();
            assertThat(running.path("status").path("hostIP").asText()).isEqualTo("127.0.0.1");

            HttpResponse<String> response = get("http://" + podIp + ":8080/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from web\n");

            ObjectNode pulled = awaitEvent("web", "Pulled",
                    "Container image \"kumo.local/busybox:latest\" already present on machine"::equals);
            assertThat(pulled.path("type").asText()).isEqualTo("Normal");
            assertThat(pulled.path("involvedObject").path("fieldPath").asText()).isEqualTo("spec.containers{web}");
            assertThat(pulled.path("involvedObject").path("uid").asText()).isEqualTo(Meta.uid(created));
            assertThat(pulled.path("involvedObject").path("kind").asText()).isEqualTo("Pod");
            assertThat(pulled.path("source").path("component").asText()).isEqualTo("kubelet");
            assertThat(pulled.path("source").path("host").asText()).isEqualTo("cri-web");
            assertThat(pulled.path("reportingComponent").asText()).isEqualTo("kubelet");
            assertThat(pulled.path("reportingInstance").asText()).isEqualTo("cri-web");
            awaitEvent("web", "Created", "Created container: web"::equals);
            awaitEvent("web", "Started", "Started container web"::equals);

            assertThat(sandboxes(cri, Meta.uid(created))).isEqualTo(1);
            admin.delete(ResourceType.PODS, "default", "web", admin.mapper().createObjectNode());
            awaitGone("web", Duration.ofSeconds(60));
            awaitEvent("web", "Killing", "Stopping container web"::equals);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sandboxes(cri, Meta.uid(created)) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50); // the agent removes the sandbox right after its final delete of the pod
            }
            assertThat(sandboxes(cri, Meta.uid(created))).as("the sandbox goes with the pod").isZero();
        }
    }

    @Test
    void environmentFromConfigMapsAndSecrets() throws Exception {
        admin.create(ResourceType.CONFIG_MAPS, "default", object("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
                 "data": {"greeting": "hello", "color": "blue", "1st": "skipped: not a variable name"}}"""));
        admin.create(ResourceType.SECRETS, "default", object("""
                {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"},
                 "data": {"password": "czNjcmV0"}}"""));
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-env")) {
            ObjectNode created = createPod("env", "cri-env", """
                    {"name": "web", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                     "command": ["sh", "-c", "mkdir -p /www && echo \\"$CFG_greeting $CFG_color $PASSWORD $(CFG_color)\\" > /www/index.html && exec httpd -f -p 8080 -h /www"],
                     "envFrom": [{"configMapRef": {"name": "settings"}, "prefix": "CFG_"}],
                     "env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}},
                             {"name": "OPTIONAL", "valueFrom": {"configMapKeyRef": {"name": "absent", "key": "k",
                                                                                  "optional": true}}}]}""", 0);
            createPod("no-config", "cri-env", """
                    {"name": "c", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                     "env": [{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "absent", "key": "k"}}}]}""", 0);

            admin.create(ResourceType.PODS, "default", object("""
                    {"metadata": {"name": "no-volume"},
                     "spec": {"nodeName": "cri-env", "terminationGracePeriodSeconds": 0,
                              "volumes": [{"name": "cfg", "configMap": {"name": "absent"}}],
                              "containers": [{"name": "c", "image": "kumo.local/busybox:latest",
                                              "imagePullPolicy": "IfNotPresent", "command": ["true"],
                                              "volumeMounts": [{"name": "cfg", "mountPath": "/cfg"}]}]}}"""));

            String podIp = await("env", CriRuntimeTest::isReady, Duration.ofSeconds(60)).path("status")
                    .path("podIP").asText();
            HttpResponse<String> response = get("http://" + podIp + ":8080/");
            assertThat(response.body()).isEqualTo("hello blue s3cret blue\n");

            ObjectNode failing = await("no-config",
                    pod -> waitingReason(pod).equals("CreateContainerConfigError"), Duration.ofSeconds(60));
            assertThat(waiting(failing).path("message").asText()).isEqualTo("configmap \"absent\" not found");
            assertThat(awaitEvent("no-config", "Failed", "Error: configmap \"absent\" not found"::equals)
                    .path("type").asText()).isEqualTo("Warning");
            ObjectNode failedMount = awaitEvent("no-volume", "FailedMount",
                    "MountVolume.SetUp failed for volume \"cfg\" : configmap \"absent\" not found"::equals);
            assertThat(failedMount.path("type").asText()).isEqualTo("Warning");
            assertThat(failedMount.path("involvedObject").has("fieldPath")).as("about the pod").isFalse();

            admin.delete(ResourceType.PODS, "default", Meta.name(created), admin.mapper().createObjectNode());
            admin.delete(ResourceType.PODS, "default", "no-config", admin.mapper().createObjectNode());
            admin.delete(ResourceType.PODS, "default", "no-volume", admin.mapper().createObjectNode());
            awaitGone("env", Duration.ofSeconds(60));
            awaitGone("no-config", Duration.ofSeconds(60));
            awaitGone("no-volume", Duration.ofSeconds(60));
        }
    }

    @Test
    void volumesFromTheApiTheNodeAndThePodReachItsContainers(@TempDir Path host) throws Exception {
        admin.create(ResourceType.CONFIG_MAPS, "default", object("""
                {"metadata": {"name": "page"}, "data": {"greeting": "hello\\n"}}"""));
        admin.create(ResourceType.SECRETS, "default", object("""
                {"metadata": {"name": "page-secret"}, "data": {"password": "czNjcmV0Cg=="}}"""));
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-vol")) {
            admin.create(ResourceType.PODS, "default", object("""
                    {"metadata": {"name": "vol"},
                     "spec": {"nodeName": "cri-vol", "terminationGracePeriodSeconds": 0,
                      "volumes": [{"name": "config", "configMap": {"name": "page"}},
                                  {"name": "secret", "secret": {"secretName": "page-secret",
                                                                "items": [{"key": "password", "path": "pw"}]}},
                                  {"name": "srv", "emptyDir": {}},
                                  {"name": "host", "hostPath": {"path": "%s", "type": "DirectoryOrCreate"}}],
                      "initContainers": [{"name": "prepare", "image": "kumo.local/busybox:latest",
                        "imagePullPolicy": "IfNotPresent",
                        "command": ["sh", "-c", "cat /etc/config/greeting /etc/secret/pw /var/run/secrets/kubernetes.io/serviceaccount/namespace > /srv/index.html; wc -c < /var/run/secrets/kubernetes.io/serviceaccount/token > /srv/token-length; touch /etc/config/new 2>/dev/null && echo writable >> /srv/index.html; echo from-the-pod > /host/out"],
                        "volumeMounts": [{"name": "config", "mountPath": "/etc/config"},
                                         {"name": "secret", "mountPath": "/etc/secret"},
                                         {"name": "srv", "mountPath": "/srv"},
                                         {"name": "host", "mountPath": "/host"}]}],
                      "containers": [{"name": "web", "image": "kumo.local/busybox:latest",
                        "imagePullPolicy": "IfNotPresent", "command": ["httpd", "-f", "-p", "8080", "-h", "/srv"],
                        "volumeMounts": [{"name": "srv", "mountPath": "/srv", "readOnly": true}]}]}}"""
                    .formatted(host.resolve("made"))));

            String podIp = await("vol", CriRuntimeTest::isReady, Duration.ofSeconds(60)).path("status")
                    .path("podIP").asText();
            assertThat(get("http://" + podIp + ":8080/index.html").body())
                    .as("configMap and secret content, the namespace file, and no write to a configMap volume")
                    .isEqualTo("hello\ns3cret\ndefault");
            String tokenLength = get("http://" + podIp + ":8080/token-length").body().trim();
            assertThat(Integer.parseInt(tokenLength)).as("a service-account token").isGreaterThan(100);
            assertThat(Files.readString(host.resolve("made/out"))).isEqualTo("from-the-pod\n");

            admin.delete(ResourceType.PODS, "default", "vol", admin.mapper().createObjectNode());
            awaitGone("vol", Duration.ofSeconds(60));
        }
    }

    @Test
    void anImageThatCannotBePulledBacksOff() throws Exception {
        // A registry on a closed port of this machine: the pull fails at once, without leaving the machine.
        String image = "127.0.0.1:1/kumo/missing:1";
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-pull")) {
            createPod("missing", "cri-pull", """
                    {"name": "c", "image": "%s", "imagePullPolicy": "IfNotPresent"}""".formatted(image), 0);
            ObjectNode failed = await("missing", pod -> waitingReason(pod).equals("ErrImagePull"),
                    Duration.ofSeconds(60));
            assertThat(waiting(failed).path("message").asText()).startsWith("Failed to pull image \"" + image + "\"");
            ObjectNode backingOff = await("missing", pod -> waitingReason(pod).equals("ImagePullBackOff"),
                    Duration.ofSeconds(30));
            assertThat(waiting(backingOff).path("message").asText())
                    .isEqualTo("Back-off pulling image \"" + image + "\"");
            assertThat(phase(backingOff)).isEqualTo("Pending");
            awaitEvent("missing", "Pulling", ("Pulling image \"" + image + "\"")::equals);
            assertThat(awaitEvent("missing", "Failed", m -> m.startsWith("Failed to pull image \"" + image + "\": "))
                    .path("type").asText()).isEqualTo("Warning");
            awaitEvent("missing", "Failed", "Error: ErrImagePull"::equals);
            awaitEvent("missing", "BackOff", ("Back-off pulling image \"" + image + "\"")::equals);
            awaitEvent("missing", "Failed", "Error: ImagePullBackOff"::equals);
            deletePod("missing");
        }
    }

    @Test
    void aCrashingContainerBacksOffAndOneThatEndsCompletesThePod() throws Exception {
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-crash")) {
            createPod("crash", "cri-crash", """
                    {"name": "c", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                     "command": ["sh", "-c", "echo boom; exit 3"]}""", 0);
            admin.create(ResourceType.PODS, "default", object("""
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "once"},
                     "spec": {"nodeName": "cri-crash", "restartPolicy": "Never", "terminationGracePeriodSeconds": 0,
                              "initContainers": [{"name": "setup", "image": "kumo.local/busybox:latest",
                                                  "imagePullPolicy": "IfNotPresent", "command": ["true"]}],
                              "containers": [{"name": "c", "image": "kumo.local/busybox:latest",
                                              "imagePullPolicy": "IfNotPresent", "command": ["true"]}]}}"""));

            ObjectNode crashing = await("crash", pod -> waitingReason(pod).equals("CrashLoopBackOff"),
                    Duration.ofSeconds(60));
            JsonNode container = crashing.path("status").path("containerStatuses").get(0);
            assertThat(container.path("restartCount").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(waiting(crashing).path("message").asText()).startsWith("back-off 10s restarting failed "
                    + "container=c pod=crash_default(" + Meta.uid(crashing) + ")");
            JsonNode last = container.path("lastState").path("terminated");
            assertThat(last.path("exitCode").asInt()).isEqualTo(3);
            assertThat(last.path("reason").asText()).isEqualTo("Error");
            assertThat(last.path("containerID").asText()).startsWith("containerd://");
            assertThat(phase(crashing)).isEqualTo("Running");
            ObjectNode backOff = awaitEvent("crash", "BackOff", ("Back-off restarting failed container c in pod "
                    + "crash_default(" + Meta.uid(crashing) + ")")::equals);
            assertThat(backOff.path("type").asText()).isEqualTo("Warning");

            ObjectNode done = await("once", pod -> "Succeeded".equals(phase(pod)), Duration.ofSeconds(60));
            JsonNode terminated = done.path("status").path("containerStatuses").get(0).path("state")
                    .path("terminated");
            assertThat(terminated.path("exitCode").asInt()).isZero();
            assertThat(terminated.path("reason").asText()).isEqualTo("Completed");
            JsonNode init = done.path("status").path("initContainerStatuses").get(0);
            assertThat(init.path("state").path("terminated").path("reason").asText()).isEqualTo("Completed");
            assertThat(init.path("ready").asBoolean()).isTrue();
            assertThat(Conditions.status(done, "Initialized")).isEqualTo("True");

            admin.delete(ResourceType.PODS, "default", "crash", admin.mapper().createObjectNode());
            admin.delete(ResourceType.PODS, "default", "once", admin.mapper().createObjectNode());
            awaitGone("crash", Duration.ofSeconds(60));
            awaitGone("once", Duration.ofSeconds(60));
        }
    }

    @Test
    void aReadinessProbeKeepsThePodNotReadyUntilItsPortOpensAndTakesItOutWhenItCloses() throws Exception {
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-ready")) {
            createPod("late", "cri-ready", """
                    {"name": "web", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                     "command": ["sh", "-c", "sleep 4; mkdir -p /www; echo up > /www/index.html; httpd -p 8080 -h /www; sleep 5; killall httpd; exec sleep 3600"],
                     "ports": [{"name": "http", "containerPort": 8080}],
                     "readinessProbe": {"httpGet": {"port": "http"}, "periodSeconds": 1, "failureThreshold": 1}}""", 0);
            ObjectNode running = await("late", pod -> "Running".equals(phase(pod)), Duration.ofSeconds(60));
            String podIp = running.path("status").path("podIP").asText();
            JsonNode container = running.path("status").path("containerStatuses").get(0);
            assertThat(container.path("ready").asBoolean()).as("running, but its port is not open yet").isFalse();
            assertThat(container.path("started").asBoolean()).isTrue();
            assertThat(Conditions.status(running, "Ready")).isEqualTo("False");

            ObjectNode unhealthy = awaitEvent("late", "Unhealthy", ("Readiness probe failed: Get \"http://" + podIp
                    + ":8080\": dial tcp " + podIp + ":8080: connect: connection refused")::equals);
            assertThat(unhealthy.path("type").asText()).isEqualTo("Warning");
            assertThat(unhealthy.path("involvedObject").path("fieldPath").asText()).isEqualTo("spec.containers{web}");

            ObjectNode ready = await("late", CriRuntimeTest::isReady, Duration.ofSeconds(30));
            Instant readyAt = Instant.now();
            Instant started = Instant.parse(container.path("state").path("running").path("startedAt").asText());
            System.out.printf("readiness: container started -> pod Ready %d ms (its port opens after 4 s; probe "
                    + "period 1 s)%n", Duration.between(started, readyAt).toMillis());
            assertThat(ready.path("status").path("containerStatuses").get(0).path("ready").asBoolean()).isTrue();
            assertThat(ready.path("status").path("containerStatuses").get(0).path("restartCount").asInt()).isZero();

            ObjectNode notReady = await("late", pod -> !isReady(pod), Duration.ofSeconds(30));
            JsonNode closed = notReady.path("status").path("containerStatuses").get(0);
            assertThat(closed.path("ready").asBoolean()).as("its port closed").isFalse();
            assertThat(closed.path("restartCount").asInt()).as("readiness never restarts").isZero();
            assertThat(closed.path("state").has("running")).isTrue();
            assertThat(Conditions.status(notReady, "ContainersReady")).isEqualTo("False");
            deletePod("late");
        }
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() throws Exception {
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-live")) {
            createPod("sick", "cri-live", """
                    {"name": "app", "image": "kumo.local/busybox:latest", "imagePullPolicy": "IfNotPresent",
                     "command": ["sh", "-c", "echo run; exec sleep 3600"],
                     "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "periodSeconds": 1,
                                       "failureThreshold": 2}}""", 1);
            ObjectNode restarted = await("sick", pod -> pod.path("status").path("containerStatuses").path(0)
                    .path("restartCount").asInt() >= 1, Duration.ofSeconds(60));
            JsonNode last = restarted.path("status").path("containerStatuses").get(0).path("lastState")
                    .path("terminated");
            assertThat(last.path("containerID").asText()).startsWith("containerd://");
            // sleep as the container's PID 1 has no SIGTERM handler: SIGKILL after the pod's grace period
            assertThat(last.path("exitCode").asInt()).isEqualTo(137);

            ObjectNode unhealthy = awaitEvent("sick", "Unhealthy", m -> m.startsWith(
                    "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"));
            assertThat(unhealthy.path("type").asText()).isEqualTo("Warning");
            ObjectNode killing = awaitEvent("sick", "Killing",
                    "Container app failed liveness probe, will be restarted"::equals);
            assertThat(killing.path("type").asText()).isEqualTo("Normal");
            assertThat(killing.path("involvedObject").path("fieldPath").asText()).isEqualTo("spec.containers{app}");
            deletePod("sick");
        }
    }

    @Test
    void thePreStopHookRunsBeforeSigtermAndPostStartAfterTheStart(@TempDir Path host) throws Exception {
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-hooks")) {
            admin.create(ResourceType.PODS, "default", object("""
                    {"metadata": {"name": "hooked"},
                     "spec": {"nodeName": "cri-hooks", "terminationGracePeriodSeconds": 20,
                      "volumes": [{"name": "host", "hostPath": {"path": "%s", "type": "Directory"}}],
                      "containers": [{"name": "c", "image": "kumo.local/busybox:latest",
                        "imagePullPolicy": "IfNotPresent",
                        "command": ["sh", "-c", "trap 'echo term >> /host/log; exit 0' TERM; while true; do sleep 1; done"],
                        "volumeMounts": [{"name": "host", "mountPath": "/host"}],
                        "lifecycle": {
                          "postStart": {"exec": {"command": ["sh", "-c", "echo postStart >> /host/log"]}},
                          "preStop": {"exec": {"command": ["sh", "-c", "echo preStop >> /host/log; sleep 1"]}}}}]}}"""
                    .formatted(host)));
            await("hooked", pod -> "Running".equals(phase(pod)), Duration.ofSeconds(60));
            awaitFileContent(host.resolve("log"), "postStart\n");

            deletePod("hooked");
            assertThat(Files.readString(host.resolve("log"))).as("the hook ran to its end before SIGTERM")
                    .isEqualTo("postStart\npreStop\nterm\n");
            awaitEvent("hooked", "Killing", "Stopping container c"::equals);
        }
    }

    private static void awaitFileContent(Path file, String content) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).equals(content)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(file + " holds " + (Files.exists(file) ? Files.readString(file) : "nothing"));
    }

    @Test
    void aRestartedAgentAdoptsItsRunningPod() throws Exception {
        String containerId;
        String uid;
        String startedAt;
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-again")) {
            uid = Meta.uid(createPod("kept", "cri-again", HTTPD, 2));
            JsonNode container = await("kept", CriRuntimeTest::isReady, Duration.ofSeconds(60))
                    .path("status").path("containerStatuses").get(0);
            containerId = container.path("containerID").asText();
            startedAt = container.path("state").path("running").path("startedAt").asText();
        }
        try (NodeAgent agent = node.agent(cluster.endpoint(), cluster.bootstrapToken(), "cri-again");
             CriClient cri = node.client()) {
            Thread.sleep(3000); // several resyncs of the adopted pod
            JsonNode container = pod("kept").orElseThrow().path("status").path("containerStatuses").get(0);
            assertThat(container.path("containerID").asText()).isEqualTo(containerId);
            assertThat(container.path("restartCount").asInt()).isZero();
            assertThat(container.path("state").path("running").path("startedAt").asText()).isEqualTo(startedAt);
            assertThat(sandboxes(cri, uid)).isEqualTo(1);
            assertThat(cri.runtime().listContainers(ListContainersRequest.newBuilder().setFilter(
                    ContainerFilter.newBuilder().putLabelSelector(CriLabels.POD_UID, uid)).build())
                    .getContainersCount()).as("nothing started again").isEqualTo(1);
            admin.delete(ResourceType.PODS, "default", "kept", admin.mapper().createObjectNode());
            awaitGone("kept", Duration.ofSeconds(60));
        }
    }

    /**
     * GET, retried while the connection is refused: without a readiness probe a pod is Ready once its container
     * runs, which can be a moment before httpd listens.
     */
    private static HttpResponse<String> get(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static int sandboxes(CriClient cri, String uid) {
        return cri.runtime().listPodSandbox(ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter
                .newBuilder().putLabelSelector(CriLabels.POD_UID, uid)).build()).getItemsCount();
    }

    private static ObjectNode createPod(String name, String node, String container, int gracePeriod) {
        return admin.create(ResourceType.PODS, "default", object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s"},
                 "spec": {"nodeName": "%s", "terminationGracePeriodSeconds": %d, "containers": [%s]}}"""
                .formatted(name, node, gracePeriod, container)));
    }

    private static String phase(ObjectNode pod) {
        return pod.path("status").path("phase").asText("");
    }

    private static JsonNode waiting(ObjectNode pod) {
        return pod.path("status").path("containerStatuses").path(0).path("state").path("waiting");
    }

    private static String waitingReason(ObjectNode pod) {
        return waiting(pod).path("reason").asText("");
    }

    private static Optional<ObjectNode> pod(String name) {
        return admin.get(ResourceType.PODS, "default", name);
    }

    private static boolean isReady(ObjectNode pod) {
        return Conditions.status(pod, "Ready").equals("True");
    }

    private static ObjectNode await(String name, Predicate<ObjectNode> condition, Duration timeout)
            throws InterruptedException {
        return PodWaits.await(admin, name, condition, timeout);
    }

    private static ObjectNode awaitEvent(String pod, String reason, Predicate<String> message)
            throws InterruptedException {
        return PodWaits.awaitEvent(admin, pod, reason, message, Duration.ofSeconds(30));
    }

    private static void deletePod(String name) throws InterruptedException {
        admin.delete(ResourceType.PODS, "default", name, admin.mapper().createObjectNode());
        awaitGone(name, Duration.ofSeconds(60));
    }

    private static void awaitGone(String name, Duration timeout) throws InterruptedException {
        PodWaits.awaitGone(admin, name, timeout);
    }
}
