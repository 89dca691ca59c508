package dev.kumo.local;

import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.store.encryption.LocalKeyFile;
import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.apiserver.audit.AuditSinks;
import dev.kumo.apiserver.auth.tokens.PemSigningKey;
import dev.kumo.apiserver.lambda.ApiGatewayHandler;
import dev.kumo.apiserver.lambda.CompactionHandler;
import dev.kumo.apiserver.lambda.SecurityFactory;
import dev.kumo.apiserver.lambda.ServerFactory;
import dev.kumo.apiserver.front.ApiFront;
import dev.kumo.apiserver.lambda.TokenFactory;
import dev.kumo.cloud.CloudSettings;
import dev.kumo.cloud.local.LocalInstances;
import dev.kumo.cloud.local.LocalNetwork;
import dev.kumo.cloud.local.NodeAddressing;
import dev.kumo.controllers.lambda.LoopCatalog;
import dev.kumo.local.instances.InJvmAgentLauncher;
import dev.kumo.local.instances.LocalInstanceAgents;
import dev.kumo.local.lambda.AwsLocation;
import dev.kumo.local.lambda.FunctionConfiguration;
import dev.kumo.local.lambda.LocalLambdaHost;
import dev.kumo.local.lambda.ScheduleRule;
import dev.kumo.local.pki.LocalCredentials;
import dev.kumo.local.pki.LocalPki;
import dev.kumo.node.ApiEndpoint;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embedded local cluster: DynamoDB Local, ElasticMQ, and the API handler behind an HTTPS front, all on
 * loopback in this JVM. Started pieces are closed in reverse order.
 */
public final class LocalCluster implements AutoCloseable {
    /**
     * How the cluster is started.
     *
     * @param controlLoops run the control loops (off for the API benchmark, whose per-request capacity figures
     *                     would otherwise include the loops' reactions to its objects)
     * @param nodes        how many nodes join it (0: none)
     * @param runtime      the nodes' runtime: {@code cri}, {@code process}, {@code simulated} or {@code auto}
     *                     ({@link NodeRuntimeChoice}); on {@code cri} node pools' instances are cri nodes too, else
     *                     simulated agents
     * @param nodeNetwork  the network of cri nodes, static and pools' alike
     */
    public record Settings(Path home, boolean ephemeral, InetSocketAddress listen, boolean controlLoops, int nodes,
                           String runtime, NodeNetwork nodeNetwork) {
        /** With the control loops and no nodes. */
        public Settings(Path home, boolean ephemeral, InetSocketAddress listen) {
            this(home, ephemeral, listen, true, 0);
        }

        /** With {@code nodes} simulated nodes. */
        public Settings(Path home, boolean ephemeral, InetSocketAddress listen, boolean controlLoops, int nodes) {
            this(home, ephemeral, listen, controlLoops, nodes, NodeRuntimeChoice.SIMULATED, NodeNetwork.LOCAL);
        }
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Settings settings;
    private String server;
    private Path kubeconfig;
    private String dynamoEndpoint;
    private LocalAwsClients awsClients;
    private LocalNodes nodes;
    private LocalInstanceAgents instanceAgents;

    private LocalCluster(Settings settings) {
        this.settings = settings;
    }

    /** Starts everything, reporting each step to {@code progress}. */
    public static LocalCluster start(Settings settings, Consumer<String> progress) throws Exception {
        LocalCluster cluster = new LocalCluster(settings);
        try {
            cluster.startAll(progress);
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll(Consumer<String> progress) throws Exception {
        Files.createDirectories(settings.home());
        // the nodes' runtime, and so whether node pools' instances are real nodes on the node network too
        NodeRuntimeChoice runtime = null;
        if (settings.nodes() > 0 || settings.controlLoops()) {
            runtime = NodeRuntimeChoice.decide(settings.runtime());
            progress.accept("node runtime: " + runtime.runtime() + " (" + runtime.reason() + ")");
        }
        boolean cri = runtime != null && runtime.runtime().equals(NodeRuntimeChoice.CRI);
        if (settings.ephemeral()) {
            // Instances of an earlier in-memory cluster belong to pools that no longer exist.
            deleteTree(instancesDirectory());
        }
        progress.accept("starting DynamoDB Local (" + (settings.ephemeral() ? "in memory"
                : "data in " + settings.home().resolve("dynamodb")) + ")");
        LocalDynamoDb dynamo = LocalDynamoDb.start(settings.home().resolve("dynamodb"), settings.ephemeral());
        started.push(dynamo);
        dynamoEndpoint = dynamo.endpoint();
        StoreTables tables = StoreTables.fromEnvironment(Map.of());
        awsClients = new LocalAwsClients(dynamoEndpoint);
        try (DynamoDbClient client = awsClients.dynamo()) {
            tables.createIfMissing(client);
        }

        progress.accept("starting the SQS server (ElasticMQ)");
        int sqsPort = LocalDynamoDb.freePort();
        SQSRestServer sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(sqsPort).start();
        sqs.waitUntilStarted();
        // Pollers' long polls keep stopAndWait() busy for up to a minute; the host stops them first, then this
        // waits a bounded time.
        started.push(() -> scala.concurrent.Await.ready(sqs.stopAndGetFuture().apply(),
                scala.concurrent.duration.FiniteDuration.create(5, TimeUnit.SECONDS)));

        // Secrets are encrypted at rest under a key file made on first start and kept across restarts.
        Path encryptionKey = settings.home().resolve("pki").resolve("encryption.key");
        LocalKeyFile.loadOrCreate(encryptionKey);
        Map<String, String> environment = Map.of(
                ServerFactory.ENV_DYNAMODB_ENDPOINT, dynamoEndpoint,
                StoreTables.ENV_OBJECTS_TABLE, tables.objects(),
                StoreTables.ENV_LOG_TABLE, tables.log(),
                StorageEncryption.ENV_KEY_FILE, encryptionKey.toString(),
                "AWS_REGION", "us-east-1");

        progress.accept("starting the Lambda host (compaction every minute)");
        SqsClient sqsClient = closing(awsClients.sqs(sqsPort));
        LocalLambdaHost host = new LocalLambdaHost(AwsLocation.LOCAL, closing(awsClients.streams()), sqsClient);
        started.push(host);
        host.createFunction(FunctionConfiguration.of("kumo-compaction", CompactionHandler.class.getName())
                .withEnvironment(environment).withReservedConcurrentExecutions(1)
                .withTimeout(Duration.ofMinutes(5)));
        host.putRule(new ScheduleRule("kumo-compaction-tick", "kumo-compaction", Duration.ofMinutes(1)));
        host.start();

        progress.accept("starting the API server handler");
        LocalPki pki = LocalPki.loadOrCreate(settings.home().resolve("pki"));
        LocalCredentials credentials = LocalCredentials.loadOrCreate(settings.home().resolve("pki"));
        Map<String, String> apiEnvironment = new java.util.HashMap<>(environment);
        apiEnvironment.put(SecurityFactory.ENV_TOKEN_FILE, credentials.tokenFile().toString());
        apiEnvironment.put(AuditSinks.ENV_PATH, settings.home().resolve("audit.log").toString());
        // The service-account (and node credential) signing key: made on first start, kept so tokens survive restarts.
        apiEnvironment.put(TokenFactory.ENV_SERVICE_ACCOUNT_KEY_FILE,
                PemSigningKey.createIfMissing(settings.home().resolve("pki").resolve("sa.key")).toString());
        // Pods trust the API through kube-root-ca.crt: the local CA signs the front's serving certificate.
        apiEnvironment.put(ServerFactory.ENV_ROOT_CA_FILE, pki.caCertificatePath().toString());
        // Every write here goes through this one API process, whose watches are woken at once by its own writes;
        // the poll only catches writes by other processes. At AWS's 500 ms, each idle watch (one per node) would
        // read DynamoDB Local twice a second: 100 simulated nodes cost most of a core doing that.
        apiEnvironment.put(ServerFactory.ENV_WATCH_POLL_MILLIS, "5000");
        // For the same reason every RBAC change reaches this process's policy cache as it is written: a read of the
        // RBAC revision counters may vouch for it for a second instead of costing each request a DynamoDB call.
        apiEnvironment.put(SecurityFactory.ENV_RBAC_CHECK_MILLIS, "1000");
        apiEnvironment.put(ServerFactory.ENV_MEASURE_CALLERS, "true"); // ./kumo bench's cost report
        ApiGatewayHandler handler = new ApiGatewayHandler(apiEnvironment);

        ApiFront front = new ApiFront(settings.listen(), pki.servingContext("127.0.0.1", "localhost", "::1"), handler);
        front.start();
        started.push(front);
        server = "https://" + hostOf(settings.listen()) + ":" + front.address().getPort();

        if (settings.controlLoops()) {
            progress.accept("starting the control loops (" + LoopCatalog.entries().size() + " loops)");
            LocalControlLoops loops;
            // The cloud loops' provider: local instances recorded under the home, booted by LocalInstanceAgents;
            // local load balancers and routes, kept under the home too.
            Map<String, String> loopEnvironment = new java.util.HashMap<>(environment);
            loopEnvironment.put(CloudSettings.ENV_PROVIDER, CloudSettings.LOCAL);
            loopEnvironment.put(LocalInstances.ENV_DIRECTORY, instancesDirectory().toString());
            // instances launched here get the addresses their cri nodes will have on the node network
            loopEnvironment.put(NodeAddressing.ENV, (cri ? settings.nodeNetwork().addressing()
                    : NodeAddressing.UNROUTED).toString());
            Path network = settings.home().resolve("network");
            if (settings.ephemeral()) {
                LocalNetwork.forget(network); // an earlier in-memory cluster's load balancers and routes
            }
            loopEnvironment.put(LocalNetwork.ENV_DIRECTORY, network.toString());
            // The listeners live in this process: they close with the cluster (their ports stay recorded).
            started.push(LocalNetwork.loadBalancers(loopEnvironment));
            try (DynamoDbClient client = awsClients.dynamo()) {
                loops = LocalControlLoops.start(host, sqsClient, client, loopEnvironment,
                        "http://127.0.0.1:" + sqsPort, server, pki.caCertificatePath().toString(), credentials);
            }
            started.push(new DeadLetterMonitor(sqsClient, loops.deadLetterQueues()));
        } else {
            progress.accept("control loops off");
        }

        kubeconfig = settings.home().resolve("kubeconfig");
        Kubeconfig.write(kubeconfig, server, pki.caCertificatePem(), credentials.adminToken());
        for (var component : credentials.componentTokens().entrySet()) {
            Kubeconfig.write(settings.home().resolve("components").resolve(component.getKey().fileName()
                    + ".kubeconfig"), server, pki.caCertificatePem(), component.getKey().user(), component.getValue());
        }
        progress.accept("wrote " + kubeconfig);
        ApiEndpoint api = ApiEndpoint.of(URI.create(server), pki.caCertificatePem());
        CriHost criHost = null;
        if (cri) {
            // The agents run in their nodes' namespaces: they reach the API at the host's side of the bridge, through
            // a second front on the same handler whose certificate names that address.
            CriHost.NodeApi nodeApi = address -> {
                ApiFront nodeFront = new ApiFront(new InetSocketAddress(address, 0), pki.servingContext(address),
                        handler);
                nodeFront.start();
                started.push(nodeFront);
                return URI.create("https://" + address + ":" + nodeFront.address().getPort());
            };
            criHost = CriHost.start(nodeApi, pki.caCertificatePath(),
                    api.client(credentials::adminToken, "kumo-local-cluster"), settings.home(),
                    settings.nodeNetwork(), progress);
            started.push(criHost); // closed after the nodes and instances on it
        }
        if (settings.controlLoops()) {
            CriHost poolHost = criHost;
            if (poolHost != null) {
                progress.accept("node pool instances: cri nodes like the static ones (CriAgentLauncher), each in a"
                        + " network namespace of its own from " + settings.nodeNetwork().namespace(
                        NodeAddressing.poolNode(0)) + " on, with its containerd; removed when terminated");
            } else {
                progress.accept("node pool instances: simulated node agents in this JVM (InJvmAgentLauncher): no"
                        + " containers run (only a cri cluster's instances are real nodes)");
            }
            instanceAgents = LocalInstanceAgents.start(server, pki.caCertificatePem(), credentials.adminToken(),
                    instancesDirectory(), cri ? settings.nodeNetwork().addressing() : NodeAddressing.UNROUTED,
                    (endpoint, token) -> poolHost != null ? new CriAgentLauncher(poolHost, token)
                            : new InJvmAgentLauncher(endpoint, token, Clock.systemUTC()));
            started.push(instanceAgents);
        }
        if (settings.nodes() > 0) {
            nodes = LocalNodes.start(api, credentials.adminToken(), settings.nodes(), runtime.runtime(),
                    settings.home(), criHost, progress);
            started.push(nodes);
        }
    }

    private static void deleteTree(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Where the local provider records node pools' instances (kept across restarts, like the data). */
    private Path instancesDirectory() {
        return settings.home().resolve("instances");
    }

    /** The local provider's instances: node pools' nodes, which a test may terminate as a cloud would. */
    public LocalInstances instances() {
        if (instanceAgents == null) {
            throw new IllegalStateException("this cluster was started without control loops, so without instances");
        }
        return instanceAgents.instances();
    }

    /** Registers a client to be closed with the cluster and returns it. */
    private <T extends AutoCloseable> T closing(T client) {
        started.push(client);
        return client;
    }

    private static String hostOf(InetSocketAddress address) {
        String host = address.getHostString();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public String server() {
        return server;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String dynamoEndpoint() {
        return dynamoEndpoint;
    }

    /**
     * Stops one node's agent ({@code kumo-node-<i>}): it goes silent while its Node and pods stay, so node
     * lifecycle sees a node that stopped heartbeating.
     */
    public void stopNode(String name) {
        if (nodes == null) {
            throw new IllegalStateException("this cluster was started without nodes");
        }
        nodes.stop(name);
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("kumo: error while stopping: " + e);
            }
        }
    }
}
