package dev.kumo.apiserver.rest;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apiserver.ApiServer;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.lambda.SecurityFactory;
import dev.kumo.apiserver.registry.ServiceCidr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The API server on fresh tables of an embedded DynamoDB Local, called without HTTP. */
final class TestApi {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** The bearer token of the tests' admin, a member of system:masters. */
    static final String ADMIN_TOKEN = "test-admin-token-" + UUID.randomUUID();
    /** Users without privileges of their own: jane in no group, bob in the group "developers". */
    static final String JANE_TOKEN = "test-jane-token-" + UUID.randomUUID();
    static final String BOB_TOKEN = "test-bob-token-" + UUID.randomUUID();
    private static AmazonDynamoDBLocal dynamo;

    final ApiServer server;
    final DynamoStore store;

    final StoreTables tables;

    TestApi() {
        this(freshTables());
    }

    private TestApi(StoreTables tables) {
        this.tables = tables;
        store = new DynamoStore(dynamo.dynamoDbClient(), tables, MAPPER,
                new DynamoStore.Options(Duration.ofMillis(200), Duration.ofMillis(50), Clock.systemUTC()));
        server = new ApiServer(store, MAPPER, Clock.systemUTC(), ServiceCidr.parse("10.96.0.0/12"),
                SecurityFactory.create(Map.of(SecurityFactory.ENV_TOKEN_FILE, tokenFile().toString()), store));
        server.bootstrap();
    }

    private static StoreTables freshTables() {
        synchronized (TestApi.class) {
            if (dynamo == null) {
                dynamo = DynamoDBEmbedded.create(true);
            }
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        StoreTables tables = new StoreTables("objects-" + suffix, "log-" + suffix);
        tables.createIfMissing(dynamo.dynamoDbClient());
        return tables;
    }

    /** Another API server process on the same tables, with caches of its own (as a second Lambda instance). */
    TestApi otherProcess() {
        return new TestApi(tables);
    }

    /** A token file naming the admin, as the local cluster writes one. */
    private static Path tokenFile() {
        try {
            Path file = Files.createTempFile("kumo-tokens", ".csv");
            file.toFile().deleteOnExit();
            Files.writeString(file, ADMIN_TOKEN + ",test-admin,test-admin,\"system:masters\"\n"
                    + JANE_TOKEN + ",jane,jane-uid\n" + BOB_TOKEN + ",bob,bob-uid,\"developers\"\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A complete answer: status and parsed JSON body. */
    record Answer(int status, Map<String, String> headers, JsonNode body, String text) {
    }

    Answer call(String method, String pathAndQuery, String body) {
        return call(method, pathAndQuery, body, "application/json", Map.of());
    }

    /** A call with another user's bearer token. */
    Answer callAs(String token, String method, String pathAndQuery, String body) {
        return call(method, pathAndQuery, body, "application/json", Map.of("Authorization", "Bearer " + token));
    }

    Answer call(String method, String pathAndQuery, String body, String contentType, Map<String, String> headers) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.computeIfAbsent(eq < 0 ? pair : pair.substring(0, eq), k -> new ArrayList<>())
                        .add(eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> allHeaders = new HashMap<>(headers);
        allHeaders.putIfAbsent("Authorization", "Bearer " + ADMIN_TOKEN);
        if (body != null && contentType != null) {
            allHeaders.put("Content-Type", contentType);
        }
        ApiResponse response = server.handle(new ApiRequest(method, path, query, allHeaders,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
        byte[] bytes = switch (response) {
            case ApiResponse.Complete complete -> complete.body();
            case ApiResponse.Streaming streaming -> collect(streaming, 1500);
        };
        String text = new String(bytes, StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = text.startsWith("{") && !text.contains("}\n{") ? MAPPER.readTree(text) : null;
        } catch (IOException e) {
            json = null;
        }
        return new Answer(response.status(), response.headers(), json, text);
    }

    /** Runs a streaming answer (a watch) for at most {@code millis} and returns what it wrote. */
    static byte[] collect(ApiResponse.Streaming streaming, long millis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            streaming.body().writeTo(ApiResponse.Sink.of(out, System.nanoTime() + millis * 1_000_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String configMap(String name, String value) {
        return """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","labels":{"app":"demo"}},
                 "data":{"key":"%s"}}""".formatted(name, value);
    }

    static String deployment(String name, int replicas) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}]}]}}}}
                """.formatted(name, replicas, name, name);
    }
}
