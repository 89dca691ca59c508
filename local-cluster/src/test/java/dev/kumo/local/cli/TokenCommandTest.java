package dev.kumo.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.store.testing.MotoServer;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authn.aws.AwsIamAuthenticator;
import dev.kumo.apiserver.auth.authn.aws.IamIdentityMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./kumo token} as kubectl runs it, and its token accepted by the API server's IAM authenticator (moto STS). */
class TokenCommandTest {
    private static MotoServer moto;
    private static SdkHttpClient http;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Per test, so that without moto each test is reported skipped with the install command. */
    @BeforeEach
    void start() {
        if (moto != null) {
            return;
        }
        moto = MotoServer.singleService("sts");
        http = UrlConnectionHttpClient.builder().tlsTrustManagersProvider(moto::trustManagers).build();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void printsAnExecCredentialWhoseTokenTheApiServerMapsToTheAssumedRolesUser() throws Exception {
        Instant before = Instant.now();
        assertThat(run(env(), "--cluster", "kumo-dev", "--role-arn", "arn:aws:iam::123456789012:role/KumoDeployer",
                "--session-name", "ci")).isZero();

        JsonNode credential = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(credential.path("kind").asText()).isEqualTo("ExecCredential");
        assertThat(credential.path("apiVersion").asText()).isEqualTo("client.authentication.k8s.io/v1");
        String token = credential.at("/status/token").asText();
        assertThat(token).startsWith("k8s-aws-v1.");
        Instant expiration = Instant.parse(credential.at("/status/expirationTimestamp").asText());
        assertThat(Duration.between(before, expiration)).isBetween(Duration.ofMinutes(13), Duration.ofMinutes(15));

        AwsIamAuthenticator server = new AwsIamAuthenticator("kumo-dev", Set.of("127.0.0.1:" + moto.port()),
                new IamIdentityMapper(IamIdentityMapper.parseMappings("""
                        [{"rolearn":"arn:aws:iam::123456789012:role/KumoDeployer","username":"kumo-admin",
                          "groups":["system:masters"]}]"""), null, Clock.systemUTC()),
                HttpClient.newBuilder().sslContext(moto.sslContext()).build(), Clock.systemUTC());
        UserInfo user = server.authenticate(token).orElseThrow();
        assertThat(user.name()).isEqualTo("kumo-admin");
        assertThat(user.extra().get("sessionName")).containsExactly("ci");
    }

    @Test
    void answersInTheExecCredentialVersionKubectlAsksFor() throws Exception {
        Map<String, String> env = env();
        env.put("KUBERNETES_EXEC_INFO", """
                {"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}""");
        assertThat(run(env, "--cluster", "kumo-dev")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("apiVersion").asText())
                .isEqualTo("client.authentication.k8s.io/v1beta1");
    }

    @Test
    void wrongUsageSaysWhatIsMissing() {
        assertThat(run(env(), "--region", "eu-west-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("kumo token: --cluster is required", "usage:");
        assertThat(out.size()).isZero();
    }

    private int run(Map<String, String> env, String... args) {
        return TokenCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), http);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", "AKIDKUMOTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        env.put("AWS_ENDPOINT_URL_STS", moto.endpoint());
        return env;
    }
}
