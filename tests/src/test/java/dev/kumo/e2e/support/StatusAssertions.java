package dev.kumo.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that an answer is a Kubernetes failure {@code Status} with the expected code and reason. */
public final class StatusAssertions {
    private StatusAssertions() {
    }

    /** Asserts HTTP status, the Status fields and their agreement; returns the Status for further checks. */
    public static JsonNode assertFailure(ApiClient.Response response, int code, String reason) {
        assertThat(response.status()).as("HTTP status of %s", response).isEqualTo(code);
        assertThat(response.contentType()).as("content type of %s", response).startsWith("application/json");
        JsonNode status = response.json();
        assertThat(status.path("kind").asText()).as("kind of %s", response).isEqualTo("Status");
        assertThat(status.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("code").asInt()).isEqualTo(code);
        assertThat(status.path("reason").asText()).as("reason of %s", response).isEqualTo(reason);
        assertThat(status.path("message").asText()).isNotBlank();
        return status;
    }

    /** The field of each cause, with its reason: {@code "metadata.name FieldValueInvalid"}. */
    public static List<String> causes(JsonNode status) {
        List<String> causes = new ArrayList<>();
        status.path("details").path("causes").forEach(cause ->
                causes.add(cause.path("field").asText() + " " + cause.path("reason").asText()));
        return causes;
    }
}
