package dev.kumo.apiserver.openapi.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real kubectl 1.28 (which insists on the v2 protobuf before anything else) and 1.32 (OpenAPI v3) against the
 * documents kumo publishes: {@code explain} prints the Kubernetes descriptions and {@code apply} validates.
 */
@Tag("slow")
class KubectlEndToEndTest {
    private static final String BAD_POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: bad
            spec:
              containers:
              - name: app
                image: nginx
                bogusField: 1
            """;
    private static final String GOOD_POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: good
            spec:
              containers:
              - name: app
                image: nginx
                ports:
                - containerPort: 80
            """;

    private static TestApiServer server;

    @TempDir
    Path work;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestApiServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private Kubectl kubectl(String version) throws Exception {
        Kubectl kubectl = new Kubectl(version, server.url(), work);
        assumeTrue(kubectl.installed(), "no kubectl." + version + " in " + Kubectl.DIRECTORY);
        return kubectl;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.28", "1.32"})
    void explainPrintsTheKubernetesDescriptionOfDeploymentStrategy(String version) throws Exception {
        Kubectl.Result result = kubectl(version).run("explain", "deployment.spec.strategy");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("KIND:       Deployment")
                .contains("FIELD: strategy <DeploymentStrategy>")
                .contains("The deployment strategy to use to replace existing pods with new ones.")
                .contains("rollingUpdate\t<RollingUpdateDeployment>");
    }

    /** kubectl 1.28 reads the v2 document only as protobuf; this explain uses nothing else. */
    @Test
    void explainFromTheV2ProtobufAlone() throws Exception {
        int requestsBefore = server.requests().size();

        Kubectl.Result result = kubectl("1.28").run("explain", "--output=plaintext-openapiv2", "deployment.spec.strategy");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("RESOURCE: strategy <Object>")
                .contains("The deployment strategy to use to replace existing pods with new ones.");
        assertThat(server.requests().subList(requestsBefore, server.requests().size()))
                .contains("GET /openapi/v2").noneMatch(request -> request.startsWith("GET /openapi/v3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.28", "1.32"})
    void explainPrintsTheKubernetesDescriptionOfPodContainers(String version) throws Exception {
        Kubectl.Result result = kubectl(version).run("explain", "pods.spec.containers");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("FIELD: containers <[]Container>")
                .contains("List of containers belonging to the pod.");
    }

    /**
     * Client-side validation, which kubectl does only because the documents do not offer {@code fieldValidation}
     * (ServedApis.SERVER_ENFORCES_FIELD_VALIDATION); once they do, kubectl sends the pod for the server to reject.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1.28", "1.32"})
    void applyRejectsAnUnknownFieldBeforeSendingAnything(String version) throws Exception {
        Path manifest = Files.writeString(work.resolve("bad-pod.yaml"), BAD_POD);
        int requestsBefore = server.requests().size();

        Kubectl.Result result = kubectl(version).run("apply", "-f", manifest.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("unknown field \"bogusField\"")
                .contains("io.k8s.api.core.v1.Container");
        assertThat(server.requests().subList(requestsBefore, server.requests().size()))
                .noneMatch(request -> request.startsWith("POST "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.28", "1.32"})
    void applySendsAValidPod(String version) throws Exception {
        Path manifest = Files.writeString(work.resolve("good-pod.yaml"), GOOD_POD);

        Kubectl.Result result = kubectl(version).run("apply", "-f", manifest.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("pod/good created");
    }
}
