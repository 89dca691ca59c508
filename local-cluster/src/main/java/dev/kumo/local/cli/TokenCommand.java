package dev.kumo.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.IamToken;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * {@code ./kumo token --cluster NAME [--region R] [--role-arn ARN]}: a kubectl exec credential plugin that prints a
 * {@code client.authentication.k8s.io} {@code ExecCredential} holding an IAM token for the cluster, in the format
 * of aws-iam-authenticator and {@code aws eks get-token} ({@link IamToken}). Credentials come from the AWS SDK's
 * default chain (environment, profile, instance or container role); with {@code --role-arn} they first assume that
 * role. {@code AWS_ENDPOINT_URL_STS} points it at another STS (an emulator).
 */
public final class TokenCommand {
    static final String USAGE = "usage: kumo token --cluster NAME [--region REGION] [--role-arn ARN] [--session-name NAME]";
    private static final String DEFAULT_API_VERSION = "client.authentication.k8s.io/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, Clock.systemUTC(),
                UrlConnectionHttpClient.create()));
    }

    /** Runs the command; returns its exit code (0 printed a credential, 1 could not, 2 wrong usage). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock,
                   SdkHttpClient http) {
        String cluster = null;
        String region = null;
        String roleArn = null;
        String sessionName = "kumo-token-" + clock.instant().getEpochSecond();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--cluster", "--cluster-name", "-i" -> cluster = value(args, ++i);
                    case "--region" -> region = value(args, ++i);
                    case "--role-arn", "-r" -> roleArn = value(args, ++i);
                    case "--session-name" -> sessionName = value(args, ++i);
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (cluster == null || cluster.isBlank()) {
                throw new IllegalArgumentException("--cluster is required");
            }
        } catch (IllegalArgumentException e) {
            err.println("kumo token: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String signingRegion = region == null ? IamToken.GLOBAL_REGION : region;
        String override = env.get("AWS_ENDPOINT_URL_STS");
        URI endpoint = override == null || override.isBlank() ? IamToken.stsEndpoint(region) : URI.create(override.strip());
        try {
            AwsCredentials credentials = credentials(env, roleArn, sessionName, signingRegion, override, http);
            IamToken.Issued issued = IamToken.issue(credentials, cluster, endpoint, signingRegion, clock);
            out.println(MAPPER.writeValueAsString(execCredential(env, issued)));
            return 0;
        } catch (SdkException | IOException e) {
            err.println("kumo token: could not make a token: " + e.getMessage());
            return 1;
        }
    }

    private static AwsCredentials credentials(Map<String, String> env, String roleArn, String sessionName,
                                              String region, String stsOverride, SdkHttpClient http) {
        AwsCredentials base = fromEnvironment(env);
        if (base == null) {
            base = DefaultCredentialsProvider.builder().build().resolveCredentials();
        }
        if (roleArn == null) {
            return base;
        }
        StsClientBuilder builder = StsClient.builder().httpClient(http).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(base));
        if (stsOverride != null && !stsOverride.isBlank()) {
            builder.endpointOverride(URI.create(stsOverride.strip()));
        }
        try (StsClient sts = builder.build()) {
            Credentials assumed = sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName(sessionName)).credentials();
            return AwsSessionCredentials.create(assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken());
        }
    }

    /** The credentials in AWS_ACCESS_KEY_ID and friends, as the SDK's environment provider reads them; else null. */
    private static AwsCredentials fromEnvironment(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return null;
        }
        String session = env.get("AWS_SESSION_TOKEN");
        return session == null || session.isBlank() ? AwsBasicCredentials.create(id, secret)
                : AwsSessionCredentials.create(id, secret, session);
    }

    /** The ExecCredential in the version kubectl asked for (KUBERNETES_EXEC_INFO), v1 by default. */
    private static ObjectNode execCredential(Map<String, String> env, IamToken.Issued issued) throws IOException {
        String apiVersion = DEFAULT_API_VERSION;
        String execInfo = env.get("KUBERNETES_EXEC_INFO");
        if (execInfo != null && !execInfo.isBlank()) {
            JsonNode info = MAPPER.readTree(execInfo);
            apiVersion = info.path("apiVersion").asText(DEFAULT_API_VERSION);
        }
        ObjectNode credential = MAPPER.createObjectNode();
        credential.put("kind", "ExecCredential").put("apiVersion", apiVersion);
        credential.putObject("spec");
        credential.putObject("status")
                .put("expirationTimestamp", DateTimeFormatter.ISO_INSTANT.format(issued.expiration().truncatedTo(ChronoUnit.SECONDS)))
                .put("token", issued.token());
        return credential;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
