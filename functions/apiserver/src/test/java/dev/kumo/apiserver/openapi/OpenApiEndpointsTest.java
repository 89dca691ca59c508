package dev.kumo.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OpenApiEndpointsTest {
    private static final String PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    private final OpenApiDocuments documents = OpenApiDocuments.load();
    private final OpenApiEndpoints endpoints = new OpenApiEndpoints(documents,
            Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC));

    private OpenApiResponse handle(OpenApiRequest request) {
        return endpoints.handle(request).orElseThrow();
    }

    @Test
    void v2ProtobufForKubectlsDeprecatedAcceptHeader() {
        OpenApiResponse response = handle(OpenApiRequest.get("/openapi/v2")
                .withAccept("application/com.github.proto-openapi.spec.v2@v1.0+protobuf"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo(PROTOBUF);
        assertThat(response.header("Vary")).isEqualTo("Accept");
        assertThat(response.header("ETag")).isEqualTo("\"" + documents.v2Hash() + "\"");
        assertThat(response.body()).isEqualTo(documents.v2Protobuf());
    }

    @Test
    void v2ByAcceptHeader() {
        assertThat(handle(OpenApiRequest.get("/openapi/v2").withAccept(PROTOBUF)).header("Content-Type")).isEqualTo(PROTOBUF);
        assertThat(handle(OpenApiRequest.get("/openapi/v2")).body()).isEqualTo(documents.v2Json());
        assertThat(handle(OpenApiRequest.get("/openapi/v2").withAccept("application/json, */*")).header("Content-Type"))
                .isEqualTo("application/json");
        assertThat(handle(OpenApiRequest.get("/openapi/v2").withAccept("application/json;q=0.5, " + PROTOBUF))
                .header("Content-Type")).isEqualTo(PROTOBUF);
        assertThat(handle(OpenApiRequest.get("/openapi/v2").withAccept("text/html")).status()).isEqualTo(406);
    }

    @Test
    void v2NotModifiedWhenTheClientHasIt() {
        OpenApiResponse response = handle(OpenApiRequest.get("/openapi/v2").withAccept(PROTOBUF)
                .withIfNoneMatch("\"" + documents.v2Hash() + "\""));
        assertThat(response.status()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("ETag")).isEqualTo("\"" + documents.v2Hash() + "\"");
    }

    @Test
    void v3Index() {
        OpenApiResponse response = handle(OpenApiRequest.get("/openapi/v3").withAccept("application/json, */*"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("ETag")).isEqualTo("\"" + documents.v3IndexHash() + "\"");
        assertThat(response.body()).isEqualTo(documents.v3Index());
    }

    @Test
    void v3DocumentAtItsHashIsImmutable() {
        String hash = documents.hash("apis/apps/v1").orElseThrow();
        OpenApiResponse response = handle(OpenApiRequest.get("/openapi/v3/apis/apps/v1").withHash(hash)
                .withAccept("application/json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("ETag")).isEqualTo("\"" + hash + "\"");
        assertThat(response.header("Vary")).isEqualTo("Accept");
        assertThat(response.header("Cache-Control")).isEqualTo("public, immutable");
        assertThat(response.header("Expires")).isEqualTo("Wed, 04 Mar 2026 05:06:07 GMT");
        assertThat(response.body()).isEqualTo(documents.v3Document("apis/apps/v1").orElseThrow());
    }

    @Test
    void v3DocumentWithoutHashIsNotImmutable() {
        OpenApiResponse response = handle(OpenApiRequest.get("/openapi/v3/api/v1"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isNull();
        assertThat(response.header("ETag")).isEqualTo("\"" + documents.hash("api/v1").orElseThrow() + "\"");
    }

    @Test
    void v3DocumentAtAnOldHashRedirectsToTheCurrentOne() {
        OpenApiResponse response = handle(OpenApiRequest.get("/openapi/v3/api/v1").withHash("0123"));
        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location"))
                .isEqualTo("/openapi/v3/api/v1?hash=" + documents.hash("api/v1").orElseThrow());
    }

    @Test
    void v3DocumentNotModifiedKeepsItsCachingHeaders() {
        String hash = documents.hash("api/v1").orElseThrow();
        OpenApiResponse response = handle(OpenApiRequest.get("/openapi/v3/api/v1").withHash(hash)
                .withIfNoneMatch("W/\"other\", \"" + hash + "\""));
        assertThat(response.status()).isEqualTo(304);
        assertThat(response.header("Cache-Control")).isEqualTo("public, immutable");
    }

    @Test
    void v3OnlyAsJson() {
        assertThat(handle(OpenApiRequest.get("/openapi/v3/api/v1")
                .withAccept("application/com.github.proto-openapi.spec.v3.v1.0+protobuf")).status()).isEqualTo(406);
    }

    @Test
    void nothingForPathsThatAreNoServedDocument() {
        assertThat(endpoints.handle(OpenApiRequest.get("/openapi/v3/apis/batch/v1"))).isEmpty();
        assertThat(endpoints.handle(OpenApiRequest.get("/openapi/v3/"))).isEmpty();
        assertThat(endpoints.handle(OpenApiRequest.get("/api/v1"))).isEmpty();
    }
}
