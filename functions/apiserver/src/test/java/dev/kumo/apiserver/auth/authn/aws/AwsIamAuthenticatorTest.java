package dev.kumo.apiserver.auth.authn.aws;

import dev.kumo.apimachinery.client.IamToken;
import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.store.testing.MotoServer;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authn.InvalidTokenException;
import dev.kumo.apiserver.auth.authn.RequestAuthenticator;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * IAM tokens end to end against moto's STS: credentials of a role assumed in moto presign the token, the
 * authenticator checks it and asks moto's STS who signed it, and the ARN is mapped. moto does not check SigV4
 * signatures, so a token made for another cluster is refused here only by the signature test in
 * {@link IamTokenTest}; real STS refuses it with SignatureDoesNotMatch.
 */
class AwsIamAuthenticatorTest {
    private static final String CLUSTER = "kumo-test";
    private static MotoServer moto;
    private static StsClient sts;
    private static AmazonDynamoDBLocal dynamo;

    /** Per test, so that without moto each test is reported skipped with the install command. */
    @BeforeEach
    void start() {
        if (moto != null) {
            return;
        }
        moto = MotoServer.singleService("sts");
        sts = StsClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(moto::trustManagers).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .build();
        dynamo = DynamoDBEmbedded.create(true);
    }

    @AfterAll
    static void stop() {
        if (sts != null) {
            sts.close();
        }
        if (moto != null) {
            moto.close();
        }
        if (dynamo != null) {
            dynamo.shutdown();
        }
    }

    @Test
    void aRoleMappedByTheEnvironmentBecomesItsUserWithTheIdentityInExtra() {
        AwsIamAuthenticator authenticator = authenticator("""
                [{"rolearn":"arn:aws:iam::123456789012:role/ops/Deployer","username":"kumo-admin:{{SessionName}}",
                  "groups":["system:masters"]}]""", null);
        String token = token("arn:aws:iam::123456789012:role/ops/Deployer", "alice@example.com");

        UserInfo user = authenticator.authenticate(token).orElseThrow();

        assertThat(user.name()).isEqualTo("kumo-admin:alice-example.com");
        assertThat(user.groups()).containsExactly("system:masters");
        assertThat(user.uid()).startsWith("aws-iam-authenticator:123456789012:AROA").endsWith(":alice@example.com");
        assertThat(user.extra().get("canonicalArn")).containsExactly("arn:aws:iam::123456789012:role/Deployer");
        assertThat(user.extra().get("arn"))
                .containsExactly("arn:aws:sts::123456789012:assumed-role/Deployer/alice@example.com");
        assertThat(user.extra().get("sessionName")).containsExactly("alice@example.com");
    }

    @Test
    void aRoleInTheAwsAuthConfigMapIsMapped() {
        DynamoStore store = store();
        ObjectNode configMap = new ObjectMapper().createObjectNode();
        configMap.put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", "aws-auth").put("namespace", "kube-system");
        configMap.putObject("data").put("mapRoles", """
                - rolearn: arn:aws:iam::123456789012:role/Developers
                  username: dev:{{SessionNameRaw}}
                  groups:
                    - developers
                    - account-{{AccountID}}
                """).put("mapUsers", "- userarn: arn:aws:iam::123456789012:user/nobody\n  username: nobody\n");
        store.create(IamIdentityMapper.AWS_AUTH, configMap);

        UserInfo user = authenticator("[]", store).authenticate(token("arn:aws:iam::123456789012:role/Developers",
                "carol")).orElseThrow();

        assertThat(user.name()).isEqualTo("dev:carol");
        assertThat(user.groups()).containsExactly("developers", "account-123456789012");
    }

    @Test
    void anUnmappedRoleIsA401() {
        AwsIamAuthenticator authenticator = authenticator("[]", store());
        String token = token("arn:aws:iam::123456789012:role/Stranger", "mallory");

        assertThatThrownBy(() -> authenticator.authenticate(token)).isInstanceOf(InvalidTokenException.class)
                .hasMessage("ARN is not mapped: arn:aws:sts::123456789012:assumed-role/Stranger/mallory"
                        + " (canonical arn:aws:iam::123456789012:role/Stranger)");
        RequestAuthenticator requests = new RequestAuthenticator(List.of(authenticator));
        ApiRequest request = new ApiRequest("GET", "/api/v1/pods", Map.of(), Map.of("Authorization", "Bearer " + token),
                null);
        assertThatThrownBy(() -> requests.authenticate(request)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(401));
    }

    @Test
    void credentialsStsDoesNotKnowAreRefused() {
        // moto names unknown callers "arn:aws:sts::123456789012:user/moto", which is no identity ARN.
        String token = IamToken.issue(AwsBasicCredentials.create("AKIDUNKNOWN", "x"), CLUSTER,
                URI.create(moto.endpoint()), "us-east-1", Clock.systemUTC()).token();

        assertThatThrownBy(() -> authenticator("[]", null).authenticate(token)).isInstanceOf(InvalidTokenException.class)
                .hasMessage("unrecognized resource user/moto for service sts");
    }

    @Test
    void otherBearerTokensAreLeftToTheNextAuthenticator() {
        assertThat(authenticator("[]", null).authenticate("some-static-token")).isEmpty();
    }

    private static AwsIamAuthenticator authenticator(String mappings, DynamoStore store) {
        IamIdentityMapper mapper = new IamIdentityMapper(IamIdentityMapper.parseMappings(mappings), store,
                Clock.systemUTC());
        HttpClient http = HttpClient.newBuilder().sslContext(moto.sslContext()).build();
        return new AwsIamAuthenticator(CLUSTER, Set.of("127.0.0.1:" + moto.port()), mapper, http, Clock.systemUTC());
    }

    /** A token presigned with the credentials of {@code role} assumed in moto. */
    private static String token(String role, String session) {
        Credentials credentials = sts.assumeRole(b -> b.roleArn(role).roleSessionName(session)).credentials();
        return IamToken.issue(AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken()), CLUSTER, URI.create(moto.endpoint()), "us-east-1", Clock.systemUTC()).token();
    }

    private static DynamoStore store() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        StoreTables tables = new StoreTables("objects-" + suffix, "log-" + suffix);
        tables.createIfMissing(dynamo.dynamoDbClient());
        return new DynamoStore(dynamo.dynamoDbClient(), tables, new ObjectMapper(), DynamoStore.Options.defaults());
    }
}
