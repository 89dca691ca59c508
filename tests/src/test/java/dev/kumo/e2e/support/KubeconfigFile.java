package dev.kumo.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/** What a client needs from the kubeconfig the local cluster writes: the server, its CA and the bearer token. */
public record KubeconfigFile(Path path, URI server, String caCertificatePem, String token) {

    public static KubeconfigFile read(Path path) throws IOException {
        JsonNode config = new YAMLMapper().readTree(path.toFile());
        String context = config.path("current-context").asText();
        JsonNode contextEntry = named(config.path("contexts"), context).path("context");
        JsonNode cluster = named(config.path("clusters"), contextEntry.path("cluster").asText()).path("cluster");
        JsonNode user = named(config.path("users"), contextEntry.path("user").asText()).path("user");
        String ca = new String(Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText()),
                StandardCharsets.US_ASCII);
        return new KubeconfigFile(path, URI.create(cluster.path("server").asText()), ca, user.path("token").asText());
    }

    private static JsonNode named(JsonNode entries, String name) {
        for (JsonNode entry : entries) {
            if (entry.path("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new IllegalArgumentException("the kubeconfig has no entry named " + name);
    }
}
