package dev.kumo.controllers.testing;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.store.dynamodb.CallerBreakdown;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apiserver.ApiServer;
import dev.kumo.apiserver.audit.AuditSinks;
import dev.kumo.apiserver.auth.Security;
import dev.kumo.apiserver.auth.tokens.PemSigningKey;
import dev.kumo.apiserver.front.ApiFront;
import dev.kumo.apiserver.lambda.ApiGatewayHandler;
import dev.kumo.apiserver.lambda.SecurityFactory;
import dev.kumo.apiserver.lambda.TokenFactory;
import dev.kumo.apiserver.registry.ServiceCidr;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.apimachinery.client.events.EventRecorder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The real API server (on embedded DynamoDB Local, fresh tables per cluster) served over plain HTTP on loopback
 * by the local front, so that reconcilers under test read and write through their real client, under the real
 * identities of kube-controller-manager and kube-scheduler, with RBAC, admission and validation in the way.
 */
public final class TestCluster implements AutoCloseable {
    public static final String CONTROLLER_MANAGER = "system:kube-controller-manager";
    public static final String SCHEDULER = "system:kube-scheduler";
    public static final String CLOUD_CONTROLLER = "system:kumo:cloud-controller";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static AmazonDynamoDBLocal dynamo;

    private final String adminToken = "admin-" + UUID.randomUUID();
    private final String controllerManagerToken = "kcm-" + UUID.randomUUID();
    private final String schedulerToken = "sched-" + UUID.randomUUID();
    private final String cloudControllerToken = "ccm-" + UUID.randomUUID();
    private final ApiFront front;
    private final ApiGatewayHandler handler;
    private final URI server;
    private final CallerBreakdown requests = new CallerBreakdown();
    private final StoreTables tables;

    public TestCluster() {
        try {
            Path work = Files.createTempDirectory("kumo-controllers-test");
            work.toFile().deleteOnExit();
            Path tokens = work.resolve("tokens.csv");
            Files.writeString(tokens, adminToken + ",test-admin,test-admin,\"system:masters\"\n"
                    + controllerManagerToken + "," + CONTROLLER_MANAGER + "," + CONTROLLER_MANAGER + "\n"
                    + schedulerToken + "," + SCHEDULER + "," + SCHEDULER + "\n"
                    + cloudControllerToken + "," + CLOUD_CONTROLLER + "," + CLOUD_CONTROLLER + "\n");
            Map<String, String> env = Map.of(SecurityFactory.ENV_TOKEN_FILE, tokens.toString(),
                    AuditSinks.ENV_PATH, work.resolve("audit.log").toString(),
                    TokenFactory.ENV_SERVICE_ACCOUNT_KEY_FILE,
                    PemSigningKey.createIfMissing(work.resolve("sa.key")).toString());
            tables = freshTables();
            DynamoStore store = new DynamoStore(dynamo().dynamoDbClient(), tables, MAPPER,
                    new DynamoStore.Options(Duration.ofMillis(200), Duration.ofMillis(50), Clock.systemUTC()),
                    ResourceTransformers.NONE);
            Security security = SecurityFactory.create(env, store);
            ApiServer api = new ApiServer(store, MAPPER, Clock.systemUTC(), ServiceCidr.parse("10.96.0.0/12"),
                    security, "");
            api.measureRequests(requests);
            api.bootstrap();
            handler = new ApiGatewayHandler(api);
            front = new ApiFront(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, handler);
            front.start();
            server = URI.create("http://127.0.0.1:" + front.address().getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized AmazonDynamoDBLocal dynamo() {
        if (dynamo == null) {
            dynamo = DynamoDBEmbedded.create(true);
        }
        return dynamo;
    }

    /**
     * New tables for one cluster. The log's stream is switched off: the API server never reads it, and DynamoDB
     * Local gets slower for every stream it has ever had (measured: after five streamed tables of 5,000 items each,
     * a put takes 13 ms instead of 0.3), so a JVM running many clusters would slow down cluster after cluster.
     */
    private static StoreTables freshTables() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        StoreTables tables = new StoreTables("objects-" + suffix, "log-" + suffix);
        tables.createIfMissing(dynamo().dynamoDbClient());
        dynamo().dynamoDbClient().updateTable(update -> update.tableName(tables.log())
                .streamSpecification(spec -> spec.streamEnabled(false)));
        return tables;
    }

    /** The API's requests by caller ({@code kumo-controllers-test <verb> <resource>}): what a reconcile cost. */
    public CallerBreakdown requests() {
        return requests;
    }

    /** The API's address (plain HTTP on loopback), for tools such as kubectl. */
    /** The API's handler, for a test that serves it a second way (over TLS, for kubectl's exec and port-forward). */
    public ApiGatewayHandler handler() {
        return handler;
    }

    public URI server() {
        return server;
    }

    /** The cluster admin's bearer token (system:masters), for tools such as kubectl. */
    public String adminToken() {
        return adminToken;
    }

    /** A client with the cluster admin's rights (system:masters), for setting up and asserting. */
    public KubeClient admin() {
        return client(adminToken);
    }

    /** A client as kube-controller-manager (its RBAC role only). */
    public KubeClient controllerManager() {
        return client(controllerManagerToken);
    }

    /** A client as kumo's cloud controller (its RBAC role only). */
    public KubeClient cloudController() {
        return client(cloudControllerToken);
    }

    /** A client as kube-scheduler (its RBAC role only). */
    public KubeClient scheduler() {
        return client(schedulerToken);
    }

    /** What a loop of the cloud controller gets from its host, with {@code clock}. */
    public ControllerContext cloudControllerContext(String component, Clock clock) {
        KubeClient client = cloudController();
        return new ControllerContext(client, new EventRecorder(client, component, clock), clock);
    }

    /** What a controller of kube-controller-manager gets from its host, with {@code clock}. */
    public ControllerContext controllerContext(String component, Clock clock) {
        KubeClient client = controllerManager();
        return new ControllerContext(client, new EventRecorder(client, component, clock), clock);
    }

    /** A client presenting {@code token} (a service-account token under test, say). */
    public KubeClient client(String token) {
        try {
            return new KubeClient(server, javax.net.ssl.SSLContext.getDefault(), () -> token, "kumo-controllers-test");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON or YAML-free JSON literal into an object (tests write objects as text blocks). */
    public static ObjectNode object(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops serving and drops the cluster's tables (DynamoDB Local keeps them in this JVM's memory). */
    @Override
    public void close() {
        front.close();
        for (String table : java.util.List.of(tables.objects(), tables.log())) {
            dynamo().dynamoDbClient().deleteTable(delete -> delete.tableName(table));
        }
    }
}
