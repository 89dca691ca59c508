package dev.kumo.infra.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class KubeconfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theUserIsAnExecPluginRunningKumoTokenForTheClusterAndRegion() throws Exception {
        JsonNode config = YAML.readTree(new Kubeconfig("prod", "https://abc123.execute-api.eu-west-1.amazonaws.com",
                "eu-west-1", "/opt/kumo/kumo", null).render());
        assertThat(config.path("current-context").asText()).isEqualTo("kumo-prod");
        assertThat(config.at("/clusters/0/cluster/server").asText())
                .isEqualTo("https://abc123.execute-api.eu-west-1.amazonaws.com");
        assertThat(config.at("/clusters/0/cluster/certificate-authority-data").isMissingNode()).isTrue();
        JsonNode exec = config.at("/users/0/user/exec");
        assertThat(exec.path("apiVersion").asText()).isEqualTo("client.authentication.k8s.io/v1");
        assertThat(exec.path("command").asText()).isEqualTo("/opt/kumo/kumo");
        assertThat(YAML.convertValue(exec.path("args"), String[].class))
                .containsExactly("token", "--cluster", "prod", "--region", "eu-west-1");
        assertThat(exec.path("interactiveMode").asText()).isEqualTo("Never");
        assertThat(exec.has("env")).isFalse();
        assertThat(config.at("/contexts/0/context/cluster").asText()).isEqualTo("kumo-prod");
        assertThat(config.at("/contexts/0/context/user").asText()).isEqualTo("kumo-prod");
    }

    @Test
    void aProfileGoesIntoThePluginsEnvironmentAndOddCharactersStayIntact() throws Exception {
        JsonNode config = YAML.readTree(new Kubeconfig("dev", "https://x.example", "us-east-1",
                "/home/a user/kumo: \"x\"", "team #1").render());
        JsonNode exec = config.at("/users/0/user/exec");
        assertThat(exec.path("command").asText()).isEqualTo("/home/a user/kumo: \"x\"");
        assertThat(exec.at("/env/0/name").asText()).isEqualTo("AWS_PROFILE");
        assertThat(exec.at("/env/0/value").asText()).isEqualTo("team #1");
    }

    @Test
    void theFileIsTheUsersOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/kumo.kubeconfig");
        KubeconfigCommand.write(file, "apiVersion: v1\n");
        KubeconfigCommand.write(file, "apiVersion: v1\nkind: Config\n");
        assertThat(Files.readString(file)).isEqualTo("apiVersion: v1\nkind: Config\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
