package dev.kumo.infra.bench;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The API handler's init asks KMS for the token signing key's public half, and its first request reads the store,
 * calls Lambda's init and first invocation make too: for the benchmark, moto on loopback answers them
 * ({@code moto_server}, which {@code ./kumo test} installs), with the two keys the state stack would hold and the
 * store's two tables.
 */
final class LocalAws implements AutoCloseable {
    private final Process process;
    private final Map<String, String> environment;

    private LocalAws(Process process, Map<String, String> environment) {
        this.process = process;
        this.environment = environment;
    }

    /** moto's server on a free loopback port with a symmetric and an RSA signing key; null without moto_server. */
    static LocalAws start(String secretsKeyVariable, String signingKeyVariable, String endpointVariable,
                          String dynamoEndpointVariable, Map<String, String> tables)
            throws IOException, InterruptedException {
        Path moto = onPath("moto_server");
        if (moto == null) {
            return null;
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(moto.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        for (int i = 0; i < 300; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        try (KmsClient kms = KmsClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(DeployedValues.REGION)).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build()) {
            String secrets = kms.createKey(b -> b.description("secrets")).keyMetadata().arn();
            String signing = kms.createKey(b -> b.description("signing").keySpec(KeySpec.RSA_2048)
                    .keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().arn();
            try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .region(Region.of(DeployedValues.REGION)).endpointOverride(endpoint)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                    .build()) {
                StoreTables.fromEnvironment(tables).createIfMissing(dynamo);
            }
            Map<String, String> environment = new java.util.HashMap<>(tables);
            environment.putAll(Map.of(secretsKeyVariable, secrets, signingKeyVariable, signing,
                    endpointVariable, endpoint.toString(), dynamoEndpointVariable, endpoint.toString()));
            return new LocalAws(process, Map.copyOf(environment));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The variables that point a handler at these keys. */
    Map<String, String> environment() {
        return environment;
    }

    @Override
    public void close() {
        process.destroy();
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
