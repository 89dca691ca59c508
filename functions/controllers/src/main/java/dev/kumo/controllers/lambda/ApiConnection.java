package dev.kumo.controllers.lambda;

import dev.kumo.apimachinery.client.IamToken;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.TrustedCa;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How a loop function reaches the API, from its environment:
 * <ul>
 *   <li>{@code KUMO_API_SERVER}: the API's URL (API Gateway's endpoint, or the local front);</li>
 *   <li>{@code KUMO_API_CA_FILE}: the CA that signs the API's serving certificate (locally; in AWS the JVM's
 *       trust store knows API Gateway's);</li>
 *   <li>{@code KUMO_API_TOKEN_FILE}: a bearer token (the local cluster's component tokens), or else
 *       {@code KUMO_CLUSTER_NAME}: an IAM token signed with the function's own role, which the API maps to the
 *       loop's user ({@code KUMO_IAM_MAPPINGS}), renewed before it expires.</li>
 * </ul>
 */
public final class ApiConnection {
    public static final String ENV_SERVER = "KUMO_API_SERVER";
    public static final String ENV_CA_FILE = "KUMO_API_CA_FILE";
    public static final String ENV_TOKEN_FILE = "KUMO_API_TOKEN_FILE";
    public static final String ENV_CLUSTER_NAME = "KUMO_CLUSTER_NAME";

    private ApiConnection() {
    }

    public static KubeClient client(Map<String, String> env, String userAgent) {
        String server = required(env, ENV_SERVER);
        return new KubeClient(URI.create(server), tls(env.get(ENV_CA_FILE)), token(env), userAgent);
    }

    private static Supplier<String> token(Map<String, String> env) {
        String tokenFile = env.get(ENV_TOKEN_FILE);
        if (tokenFile != null && !tokenFile.isBlank()) {
            String token = read(Path.of(tokenFile)).strip();
            return () -> token;
        }
        String cluster = env.get(ENV_CLUSTER_NAME);
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalStateException("set " + ENV_TOKEN_FILE + " (a bearer token) or " + ENV_CLUSTER_NAME
                    + " (IAM tokens) so the loop can authenticate to the API");
        }
        return new IamTokens(cluster, env.getOrDefault("AWS_REGION", ""));
    }

    /** IAM tokens for the function's role, made again a minute before each expires. */
    private static final class IamTokens implements Supplier<String> {
        private final String cluster;
        private final String region;
        private final DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        private IamToken.Issued current;

        IamTokens(String cluster, String region) {
            this.cluster = cluster;
            this.region = region;
        }

        @Override
        public synchronized String get() {
            Clock clock = Clock.systemUTC();
            if (current == null || current.expiration().minusSeconds(60).isBefore(Instant.now(clock))) {
                String signingRegion = region.isBlank() ? IamToken.GLOBAL_REGION : region;
                current = IamToken.issue(credentials.resolveCredentials(), cluster, IamToken.stsEndpoint(region),
                        signingRegion, clock);
            }
            return current.token();
        }
    }

    private static SSLContext tls(String caFile) {
        if (caFile == null || caFile.isBlank()) {
            try {
                return SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        }
        try {
            return TrustedCa.context(Files.readString(Path.of(caFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API's CA from " + caFile, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token from " + file, e);
        }
    }

    static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the function's environment lacks " + name);
        }
        return value;
    }
}
