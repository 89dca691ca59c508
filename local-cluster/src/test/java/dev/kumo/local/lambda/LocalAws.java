package dev.kumo.local.lambda;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.File;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.extension.ExtensionContext;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * DynamoDB Local (server mode) and ElasticMQ on loopback ports in this JVM, with SDK v2 clients pointed at them.
 *
 * <p>DynamoDB Local is assembled from its own request and server handlers rather than through
 * {@code ServerRunner.createServerFromCommandLineArgs}: ServerRunner binds every interface (0.0.0.0) and has no
 * option to pick one, and it is also the only path that configures telemetry. The handlers are the same ones
 * ServerRunner wires into the same Jetty server, so requests take the real HTTP path.
 */
final class LocalAws implements ExtensionContext.Store.CloseableResource {

    static final AwsLocation LOCATION = AwsLocation.LOCAL;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final Server dynamoDbServer;
    private final LocalDynamoDBServerHandler dynamoDbHandler;
    private final SQSRestServer sqsServer;
    private final DynamoDbClient dynamoDb;
    private final String dynamoDbEndpoint;
    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;

    private LocalAws(Server dynamoDbServer, LocalDynamoDBServerHandler dynamoDbHandler, int dynamoDbPort,
                     SQSRestServer sqsServer, int sqsPort) {
        this.dynamoDbServer = dynamoDbServer;
        this.dynamoDbHandler = dynamoDbHandler;
        this.sqsServer = sqsServer;
        URI dynamoDbEndpoint = URI.create("http://127.0.0.1:" + dynamoDbPort);
        this.dynamoDbEndpoint = dynamoDbEndpoint.toString();
        URI sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        Region region = Region.of(LOCATION.region());
        this.dynamoDb = DynamoDbClient.builder().endpointOverride(dynamoDbEndpoint).region(region)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        this.streams = DynamoDbStreamsClient.builder().endpointOverride(dynamoDbEndpoint).region(region)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        this.sqs = SqsClient.builder().endpointOverride(sqsEndpoint).region(region)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static LocalAws start() {
        useSqliteNativesFromClasspath();
        try {
            var requestHandler = new LocalDynamoDBRequestHandler(0, true, null, false, false);
            var serverHandler = new LocalDynamoDBServerHandler(requestHandler, null);
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ContextHandler context = new ContextHandler();
            context.setHandler(serverHandler);
            server.setHandler(context);
            server.start();
            SQSRestServer sqsServer = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
            int sqsPort = sqsServer.waitUntilStarted().localAddress().getPort();
            return new LocalAws(server, serverHandler, connector.getLocalPort(), sqsServer, sqsPort);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start DynamoDB Local / ElasticMQ", e);
        }
    }

    /** sqlite4java loads its native library from a directory; Maven put the library's artifact on the classpath. */
    static void useSqliteNativesFromClasspath() {
        if (System.getProperty("sqlite4java.library.path") != null) {
            return;
        }
        String os = System.getProperty("os.name").toLowerCase();
        String marker = os.contains("mac") ? "libsqlite4java-osx" : "libsqlite4java-linux-amd64";
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (new File(entry).getName().startsWith(marker)) {
                System.setProperty("sqlite4java.library.path", new File(entry).getParent());
                return;
            }
        }
        throw new IllegalStateException("No " + marker + " native library on the classpath");
    }

    /** DynamoDB Local's URL, for functions that build their own clients from their environment. */
    String dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    DynamoDbStreamsClient streams() {
        return streams;
    }

    SqsClient sqs() {
        return sqs;
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /** A table keyed by string {@code pk} with a NEW_AND_OLD_IMAGES stream; returns the stream ARN. */
    static String createTableWithStream(DynamoDbClient dynamoDb, String tableName) {
        return dynamoDb.createTable(b -> b.tableName(tableName)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                .tableDescription().latestStreamArn();
    }

    static void put(DynamoDbClient dynamoDb, String tableName, String pk, int version) {
        dynamoDb.putItem(b -> b.tableName(tableName).item(Map.of(
                "pk", AttributeValue.fromS(pk),
                "version", AttributeValue.fromN(Integer.toString(version)))));
    }

    String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    String queueArn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    @Override
    public void close() throws Exception {
        dynamoDb.close();
        streams.close();
        sqs.close();
        dynamoDbServer.stop();
        dynamoDbHandler.close();
        stopSqsServer();
    }

    /**
     * ElasticMQ's stop waits for the requests it still holds, and a long poll whose client was interrupted stays
     * held until its WaitTimeSeconds runs out; the test JVM need not wait for that.
     */
    private void stopSqsServer() throws InterruptedException {
        try {
            Await.ready(sqsServer.stopAndGetFuture().apply(), FiniteDuration.create(2, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            System.err.println("ElasticMQ still stopping after 2 s; leaving it to the JVM's exit");
        }
    }
}
