package dev.kumo.e2e.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.kumo.e2e.support.StatusAssertions.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication over the local cluster's HTTPS front: every served resource and verb refuses a request without a
 * valid credential with a 401 Status, whatever is wrong with the credential, and only the health and version
 * endpoints are open.
 */
@ExtendWith(SharedCluster.class)
class AuthenticationTest {
    private static final List<String> OPEN = List.of("/healthz", "/readyz", "/livez", "/version");

    private final KumoCluster cluster;
    private final ApiClient admin;
    private final ApiClient anonymous;

    AuthenticationTest(KumoCluster cluster) {
        this.cluster = cluster;
        this.admin = cluster.api();
        this.anonymous = admin.withAuthorization(null);
    }

    @Test
    void everyResourceAndVerbWithoutATokenIsUnauthorized() {
        String ns = cluster.newNamespace("no-token");
        List<String> refused = new ArrayList<>();
        int requests = 0;
        for (Resource resource : servedResources()) {
            String collection = resource.collectionPath(ns);
            String object = collection + "/some-name";
            List<String[]> calls = new ArrayList<>(List.of(
                    new String[]{"GET", collection}, new String[]{"GET", collection + "?watch=true"},
                    new String[]{"POST", collection}, new String[]{"DELETE", collection},
                    new String[]{"GET", object}, new String[]{"PUT", object},
                    new String[]{"PATCH", object}, new String[]{"DELETE", object}));
            for (String subresource : resource.subresources()) {
                calls.add(new String[]{"GET", object + "/" + subresource});
                calls.add(new String[]{"PUT", object + "/" + subresource});
                calls.add(new String[]{"POST", object + "/" + subresource});
            }
            for (String[] call : calls) {
                requests++;
                ApiClient.Response response = anonymous.send(call[0], call[1],
                        call[0].equals("PATCH") ? ApiClient.MERGE_PATCH : ApiClient.JSON,
                        call[0].equals("GET") || call[0].equals("DELETE") ? null
                                : "{}".getBytes(StandardCharsets.UTF_8));
                if (response.status() != 401 || !response.json().path("reason").asText().equals("Unauthorized")) {
                    refused.add(call[0] + " " + call[1] + " -> " + response);
                }
            }
        }
        assertThat(requests).isGreaterThan(100);
        assertThat(refused).as("requests that were not answered 401").isEmpty();
    }

    @Test
    void discoveryAndOpenApiNeedATokenToo() {
        for (String path : List.of("/api", "/apis", "/api/v1", "/apis/apps/v1", "/openapi/v2", "/openapi/v3")) {
            assertFailure(anonymous.get(path), 401, "Unauthorized");
        }
    }

    @Test
    void onlyHealthAndVersionAreOpen() {
        for (String path : OPEN) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(200);
        }
        assertThat(anonymous.get("/version").json().path("gitVersion").asText()).startsWith("v1.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic a3VtbzprdW1v", "Bearer", "Bearer ", "Bearer a b", "Token abc",
            "Bearer not-a-known-token", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
            "Bearer \u00e9t\u00e9"})
    void aMalformedOrUnknownCredentialIsUnauthorized(String authorization) {
        ApiClient client = admin.withAuthorization(authorization);
        assertFailure(client.get("/api/v1/namespaces"), 401, "Unauthorized");
        // A bad credential is refused even where no credential would be allowed.
        assertThat(client.get("/api/v1/namespaces/default").status()).isEqualTo(401);
    }

    @Test
    void aHugeTokenIsRefusedCleanly() {
        ApiClient client = admin.withToken("x".repeat(64 * 1024));
        int status = client.get("/api/v1/namespaces").status();
        // The front may refuse the header block itself (431) before the API sees it; either is a clean refusal.
        assertThat(status).isIn(401, 431);
        assertThat(admin.get("/api/v1/namespaces").status()).isEqualTo(200);
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        String token = cluster.kubeconfig().token();
        assertThat(admin.withAuthorization("bearer " + token).get("/api/v1/namespaces").status()).isEqualTo(200);
        assertThat(admin.withAuthorization("BEARER " + token).get("/api/v1/namespaces").status()).isEqualTo(200);
    }

    /** A resource as discovery lists it, with where its collection lives. */
    private record Resource(String groupVersion, String name, boolean namespaced, List<String> subresources) {
        String collectionPath(String namespace) {
            String prefix = groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
            return namespaced ? prefix + "/namespaces/" + namespace + "/" + name : prefix + "/" + name;
        }
    }

    /** Every resource discovery lists (read with the admin's token), with its subresources. */
    private List<Resource> servedResources() {
        List<String> groupVersions = new ArrayList<>(List.of("v1"));
        for (JsonNode group : admin.get("/apis").expect(200).json().path("groups")) {
            group.path("versions").forEach(v -> groupVersions.add(v.path("groupVersion").asText()));
        }
        List<Resource> resources = new ArrayList<>();
        for (String groupVersion : groupVersions) {
            String path = groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
            JsonNode list = admin.get(path).expect(200).json().path("resources");
            for (JsonNode resource : list) {
                String name = resource.path("name").asText();
                if (name.contains("/")) {
                    continue;
                }
                List<String> subresources = new ArrayList<>();
                for (JsonNode other : list) {
                    String otherName = other.path("name").asText();
                    if (otherName.startsWith(name + "/")) {
                        subresources.add(otherName.substring(name.length() + 1));
                    }
                }
                resources.add(new Resource(groupVersion, name, resource.path("namespaced").asBoolean(),
                        subresources));
            }
        }
        assertThat(resources).hasSizeGreaterThanOrEqualTo(14);
        return resources;
    }
}
