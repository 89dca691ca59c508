package dev.kumo.infra.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kumo.apimachinery.store.testing.MotoServer;
import dev.kumo.infra.DeploymentConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kms.KmsClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS commands against moto (CloudFormation, STS, DynamoDB, KMS): stacks with the outputs the real stacks
 * have, read back by the commands as they read a deployed cluster's. Skipped without moto ({@code ./kumo test}
 * installs it).
 */
class OpsAgainstMotoTest {
    private static final String REGION = "eu-west-1";
    private static MotoServer moto;
    private static SdkHttpClient http;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        moto = MotoServer.allServices();
        http = UrlConnectionHttpClient.create();
        // The commands take credentials from the SDK's default chain; system properties come first in it.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        env = Map.of("AWS_ENDPOINT_URL", moto.endpoint(), "AWS_REGION", REGION);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (http != null) {
            http.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void kubeconfigReadsTheControlPlanesEndpoint(@TempDir Path dir) throws Exception {
        createStack("k1-control-plane", Map.of("ApiEndpoint", "https://k1api.execute-api.eu-west-1.amazonaws.com"));
        Path file = dir.resolve("k1.kubeconfig");
        String out = run(0, "kubeconfig", "--cluster", "k1", "--output", file.toString(), "--kumo", "/opt/kumo/kumo");
        assertThat(out).contains("wrote " + file).contains("https://k1api.execute-api.eu-west-1.amazonaws.com");
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        assertThat(config.at("/clusters/0/cluster/server").asText())
                .isEqualTo("https://k1api.execute-api.eu-west-1.amazonaws.com");
        assertThat(config.at("/users/0/user/exec/args").toString()).isEqualTo("[\"token\",\"--cluster\",\"k1\",\"--region\",\"eu-west-1\"]");
    }

    @Test
    void aMissingStackIsAClearFailure(@TempDir Path dir) {
        String err = runFailing(1, "kubeconfig", "--cluster", "nope", "--output", dir.resolve("x").toString(),
                "--kumo", "/k");
        assertThat(err).contains("stack nope-control-plane does not exist in eu-west-1");
    }

    @Test
    void theCallerIsTheAdmin() throws Exception {
        assertThat(run(0, "caller-arn").strip()).matches("arn:aws:(iam|sts)::[0-9]{12}:.+");
    }

    @Test
    void backupShowsTheWindowAndRestoreMakesNewTablesWithTheirStream(@TempDir Path dir) throws Exception {
        String keyArn;
        try (KmsClient kms = KmsClient.builder().httpClient(http).region(Region.of(REGION))
                .endpointOverride(URI.create(moto.endpoint())).credentialsProvider(credentials()).build()) {
            keyArn = kms.createKey(b -> b.description("store")).keyMetadata().arn();
        }
        try (DynamoDbClient dynamo = dynamo()) {
            for (String table : List.of("b1-objects", "b1-log")) {
                dynamo.createTable(b -> b.tableName(table)
                        .keySchema(k -> k.attributeName("r").keyType(KeyType.HASH))
                        .attributeDefinitions(a -> a.attributeName("r").attributeType(ScalarAttributeType.S))
                        .billingMode("PAY_PER_REQUEST"));
                dynamo.updateContinuousBackups(b -> b.tableName(table)
                        .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
                dynamo.putItem(b -> b.tableName(table).item(Map.of("r",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("pods/default/a"))));
            }
        }
        createStack("b1-state", Map.of("ObjectsTable", "b1-objects", "LogTable", "b1-log", "StoreKeyArn", keyArn));

        String backup = run(0, "backup", "--cluster", "b1");
        assertThat(backup).contains("b1-objects: point-in-time recovery on, restorable from")
                .contains("b1-log: point-in-time recovery on");

        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path args = dir.resolve("b1.restore.args");
        String restore = run(0, "restore", "--cluster", "b1", "--to", to.toString(), "--args-file", args.toString());
        String suffix = "-r" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(to);
        assertThat(restore).contains("restored b1-objects → b1-objects" + suffix);
        try (DynamoDbClient dynamo = dynamo()) {
            TableDescription log = dynamo.describeTable(b -> b.tableName("b1-log" + suffix)).table();
            assertThat(log.streamSpecification().streamEnabled()).isTrue();
            assertThat(log.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_IMAGE");
            assertThat(dynamo.scan(b -> b.tableName("b1-objects" + suffix)).count()).isEqualTo(1);
            assertThat(Files.readString(args)).isEqualTo("-c " + DeploymentConfig.OBJECTS_TABLE + "=b1-objects" + suffix
                    + "\n-c " + DeploymentConfig.LOG_TABLE + "=b1-log" + suffix
                    + "\n-c " + DeploymentConfig.LOG_STREAM_ARN + "=" + log.latestStreamArn() + "\n");
        }
    }

    private static void createStack(String name, Map<String, String> outputs) throws Exception {
        ObjectMapper json = new ObjectMapper();
        var template = json.createObjectNode();
        template.putObject("Resources").putObject("Handle").put("Type", "AWS::CloudFormation::WaitConditionHandle");
        var out = template.putObject("Outputs");
        outputs.forEach((key, value) -> out.putObject(key).put("Value", value));
        AwsCall aws = AwsCall.withDefaultCredentials(http, REGION, env);
        aws.query("cloudformation", Map.of("Action", "CreateStack", "StackName", name, "Version", "2010-05-15",
                "TemplateBody", json.writeValueAsString(template)));
    }

    private static DynamoDbClient dynamo() {
        return DynamoDbClient.builder().httpClient(http).region(Region.of(REGION))
                .endpointOverride(URI.create(moto.endpoint())).credentialsProvider(credentials()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    private static String run(int expected, String... args) {
        return call(expected, args)[0];
    }

    private static String runFailing(int expected, String... args) {
        return call(expected, args)[1];
    }

    /** Runs the command; its standard output and error. */
    private static String[] call(int expected, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = OpsMain.run(List.of(args), env, http, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as("exit code; stdout: %s; stderr: %s", out, err).isEqualTo(expected);
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
