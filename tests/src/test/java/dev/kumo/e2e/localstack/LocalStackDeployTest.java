package dev.kumo.e2e.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kumo's CDK app deployed into LocalStack by {@code localstack/deploy.sh} (cdklocal), then driven with kubectl
 * through the deployed HTTP API. Skipped without a Docker engine ({@code disabledWithoutDocker}), and without
 * {@code LOCALSTACK_AUTH_TOKEN}: the control plane's HTTP API (API Gateway v2) is only in LocalStack's paid tiers.
 */
@Tag("slow")
@Testcontainers(disabledWithoutDocker = true)
class LocalStackDeployTest {
    /** Pinned as localstack/docker-compose.yml pins it. */
    private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack-pro:4.14.0")
            .asCompatibleSubstituteFor("localstack/localstack");
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static LocalStackContainer localstack;

    @BeforeAll
    static void deploy() throws Exception {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        Assumptions.assumeTrue(token != null && !token.isBlank(),
                "LOCALSTACK_AUTH_TOKEN is not set: the stack's HTTP API needs a paid LocalStack tier");
        localstack = new LocalStackContainer(IMAGE)
                .withEnv("LOCALSTACK_AUTH_TOKEN", token)
                .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock");
        localstack.start();
        String output = run(List.of(ROOT.resolve("localstack/deploy.sh").toString()), 30);
        assertThat(output).contains("deployed; outputs in");
    }

    @AfterAll
    static void stop() {
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Test
    void kubectlTalksToTheDeployedApi() throws Exception {
        String kubeconfig = ROOT.resolve("localstack/kubeconfig").toString();
        assertThat(run(List.of("kubectl", "--kubeconfig", kubeconfig, "get", "namespaces", "-o", "name"), 2))
                .contains("namespace/default").contains("namespace/kube-system");
        run(List.of("kubectl", "--kubeconfig", kubeconfig, "create", "configmap", "hello",
                "--from-literal=greeting=from-localstack"), 2);
        assertThat(run(List.of("kubectl", "--kubeconfig", kubeconfig, "get", "configmap", "hello",
                "-o", "jsonpath={.data.greeting}"), 2)).isEqualTo("from-localstack");
    }

    /** Runs a command with LocalStack's endpoint in its environment; its output, or a failure with it. */
    private static String run(List<String> command, int minutes) throws IOException, InterruptedException {
        Path log = Files.createTempFile("kumo-localstack", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        String endpoint = localstack.getEndpoint().toString();
        builder.environment().putAll(Map.of("LOCALSTACK_ENDPOINT", endpoint, "AWS_ENDPOINT_URL", endpoint,
                "AWS_ENDPOINT_URL_STS", endpoint, "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_REGION", "us-east-1"));
        Process process = builder.start();
        boolean done = process.waitFor(minutes, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done).as("%s finished within %d minutes: %s", command, minutes, output).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output.strip();
    }
}
