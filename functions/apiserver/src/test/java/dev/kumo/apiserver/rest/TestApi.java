package dev.kumo.apiserver.rest;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apiserver.ApiServer;
import dev.kumo.apiserver.audit.AuditSinks;
import dev.kumo.apiserver.http.ApiRequest;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.auth.Security;
import dev.kumo.apiserver.auth.authz.Authorizer;
import dev.kumo.apiserver.auth.authz.AuthorizerChain;
import dev.kumo.apiserver.auth.tokens.PemSigningKey;
import dev.kumo.apiserver.lambda.SecurityFactory;
import dev.kumo.apiserver.lambda.TokenFactory;
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
    /** Node credentials: {@code system:node:a} and {@code system:node:b} in {@code system:nodes}. */
    static final String NODE_A_TOKEN = "test-node-a-token-" + UUID.randomUUID();
    static final String NODE_B_TOKEN = "test-node-b-token-" + UUID.randomUUID();
    /** The service-account signing key of every test server (generated once per test run). */
    static final Path SERVICE_ACCOUNT_KEY = serviceAccountKey();
    /** The CA bundle the tests' API publishes as kube-root-ca.crt (its content is not checked by anyone). */
    static final String ROOT_CA = "-----BEGIN CERTIFICATE-----\nTUlJQnRlc3Q=\n-----END CERTIFICATE-----\n";
    /** Users without privileges of their own: jane in no group, bob in the group "developers". */
    static final String JANE_TOKEN = "test-jane-token-" + UUID.randomUUID();
    static final String BOB_TOKEN = "test-bob-token-" + UUID.randomUUID();
    private static AmazonDynamoDBLocal dynamo;

    final ApiServer server;
    final DynamoStore store;
    final StoreTables tables;
    private final Map<String, String> environment;
    private final ResourceTransformers transformers;
    private final Authorizer extraAuthorizer;

    TestApi() {
        this(Map.of(), ResourceTransformers.NONE, null);
    }

    /**
     * With {@code extraAuthorizer} (when not null) consulted before the server's own authorizers: for tests of
     * other parts that need a non-admin user allowed to do something.
     */
    TestApi(Authorizer extraAuthorizer) {
        this(Map.of(), ResourceTransformers.NONE, extraAuthorizer);
    }

    TestApi(Map<String, String> environment, ResourceTransformers transformers) {
        this(environment, transformers, null);
    }

    /**
     * @param environment     the function's environment over the default (the admin's token file)
     * @param transformers    the store's value transformers (encryption at rest)
     * @param extraAuthorizer consulted first when not null
     */
    TestApi(Map<String, String> environment, ResourceTransformers transformers, Authorizer extraAuthorizer) {
        this(freshTables(), environment, transformers, extraAuthorizer);
    }

    private TestApi(StoreTables tables, Map<String, String> environment, ResourceTransformers transformers,
                    Authorizer extraAuthorizer) {
        this.tables = tables;
        this.environment = environment;
        this.transformers = transformers;
        this.extraAuthorizer = extraAuthorizer;
        store = new DynamoStore(dynamo.dynamoDbClient(), tables, MAPPER,
                new DynamoStore.Options(Duration.ofMillis(200), Duration.ofMillis(50), Clock.systemUTC()), transformers);
        Map<String, String> env = new HashMap<>(Map.of(SecurityFactory.ENV_TOKEN_FILE, tokenFile().toString(),
                AuditSinks.ENV_PATH, auditFile().toString(),
                TokenFactory.ENV_SERVICE_ACCOUNT_KEY_FILE, SERVICE_ACCOUNT_KEY.toString()));
        env.putAll(environment);
        Security security = SecurityFactory.create(env, store);
        if (extraAuthorizer != null) {
            security = new Security(security.authenticator(), new AuthorizerChain(List.of(extraAuthorizer,
                    security.authorizer())), security.admission(), security.audit(), security.tokens(),
                    security.rbacPolicies());
        }
        server = new ApiServer(store, MAPPER, Clock.systemUTC(), ServiceCidr.parse("10.96.0.0/12"), security,
                ROOT_CA);
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
        return new TestApi(tables, environment, transformers, extraAuthorizer);
    }

    /** The DynamoDB client of the tables, to read them raw. */
    static software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo() {
        return dynamo.dynamoDbClient();
    }

    /** Where the tests' audit events go unless a test says otherwise (not stdout, which the build shows). */
    private static Path auditFile() {
        try {
            Path file = Files.createTempFile("kumo-audit", ".log");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path serviceAccountKey() {
        try {
            Path directory = Files.createTempDirectory("kumo-sa-key");
            directory.toFile().deleteOnExit();
            Path key = PemSigningKey.createIfMissing(directory.resolve("sa.key"));
            key.toFile().deleteOnExit();
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token file naming the admin and two nodes, as the local cluster writes one. */
    private static Path tokenFile() {
        try {
            Path file = Files.createTempFile("kumo-tokens", ".csv");
            file.toFile().deleteOnExit();
            Files.writeString(file, ADMIN_TOKEN + ",test-admin,test-admin,\"system:masters\"\n"
                    + NODE_A_TOKEN + ",system:node:a,node-a,\"system:nodes\"\n"
                    + NODE_B_TOKEN + ",system:node:b,node-b,\"system:nodes\"\n"
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
        return callBytes(method, pathAndQuery, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                contentType, headers);
    }

    /** With a binary body (protobuf). */
    Answer callBytes(String method, String pathAndQuery, byte[] body, String contentType,
                     Map<String, String> headers) {
        ApiResponse response = respondBytes(method, pathAndQuery, body, contentType, headers);
        byte[] bytes = switch (response) {
            case ApiResponse.Complete complete -> complete.body();
            case ApiResponse.Streaming streaming -> collect(streaming, 1500);
            case ApiResponse.Upgrade upgrade -> new byte[0]; // no connection to hand over in these tests
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

    /** The server's answer as it is, a watch not yet run. */
    ApiResponse respond(String method, String pathAndQuery, String body, String contentType,
                        Map<String, String> headers) {
        return respondBytes(method, pathAndQuery, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                contentType, headers);
    }

    ApiResponse respondBytes(String method, String pathAndQuery, byte[] body, String contentType,
                             Map<String, String> headers) {
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
        return server.handle(new ApiRequest(method, path, query, allHeaders, body));
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

    /** Parsed JSON; with a tree, its re-parsed form (so numbers compare by value whatever node type built them). */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(JsonNode tree) {
        return json(tree.toString());
    }

    /** A query selecting the config maps {@link #configMap} makes, not the namespace's own kube-root-ca.crt. */
    static final String OWN_CONFIG_MAPS = "?labelSelector=app%3Ddemo";

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
