package dev.kumo.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.TrustedCa;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A plain HTTPS client of the API configured from a kubeconfig (server, CA, bearer token). */
final class BenchClient {
    private final HttpClient http;
    private final String server;
    private final String token;
    private final String impersonated;

    private BenchClient(HttpClient http, String server, String token, String impersonated) {
        this.http = http;
        this.server = server;
        this.token = token;
        this.impersonated = impersonated;
    }

    /** This client acting as {@code user} ({@code Impersonate-User}), so that RBAC decides its requests. */
    BenchClient as(String user) {
        return new BenchClient(http, server, token, user);
    }

    static BenchClient fromKubeconfig(Path kubeconfig) throws Exception {
        JsonNode config = new YAMLMapper().readTree(kubeconfig.toFile());
        JsonNode cluster = config.path("clusters").get(0).path("cluster");
        byte[] ca = Base64.getDecoder().decode(cluster.path("certificate-authority-data").asText());
        SSLContext tls = TrustedCa.context(new String(ca, StandardCharsets.US_ASCII));
        HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return new BenchClient(http, cluster.path("server").asText(),
                config.path("users").get(0).path("user").path("token").asText(), null);
    }

    /** The same server and credential as a {@link KubeClient} (for code written against it). */
    KubeClient kubeClient() {
        return new KubeClient(URI.create(server), http, () -> token, "kumo-bench");
    }

    /** The response when its status is {@code code}; otherwise fails naming what came back. */
    static HttpResponse<String> expect(HttpResponse<String> response, int code) {
        if (response.statusCode() != code) {
            throw new IllegalStateException("expected " + code + ", got " + response.statusCode() + ": "
                    + response.body());
        }
        return response;
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, "application/json");
    }

    HttpResponse<String> send(String method, String path, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30));
        if (impersonated != null) {
            request.header("Impersonate-User", impersonated);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Streams a watch, handing each line to {@code onLine} until it returns false. */
    void watch(String path, Predicate<String> onLine) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                if (!onLine.test(it.next())) {
                    return;
                }
            }
        }
    }
}
