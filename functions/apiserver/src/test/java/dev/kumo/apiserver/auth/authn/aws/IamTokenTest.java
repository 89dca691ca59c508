package dev.kumo.apiserver.auth.authn.aws;

import dev.kumo.apimachinery.client.IamToken;
import dev.kumo.apiserver.auth.authn.InvalidTokenException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token format (aws-iam-authenticator's) and the server's strict checks of it before anything is fetched. */
class IamTokenTest {
    static final Instant SIGNED_AT = Instant.parse("2025-05-06T07:08:09Z");
    private static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    @Test
    void aTokenIsThePresignedGetCallerIdentityUrlBase64urlEncodedWithoutPadding() {
        IamToken.Issued issued = issue("prod", null);

        assertThat(issued.token()).startsWith("k8s-aws-v1.").doesNotContain("=", "+", "/");
        URI url = url(issued.token());
        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath()).isEqualTo("https://sts.amazonaws.com/");
        assertThat(url.getQuery()).startsWith("Action=GetCallerIdentity&Version=2011-06-15&")
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Date=20250506T070809Z", "X-Amz-Expires=60",
                        "X-Amz-SignedHeaders=host;x-k8s-aws-id",
                        "X-Amz-Credential=AKIDEXAMPLE/20250506/us-east-1/sts/aws4_request");
        assertThat(issued.expiration()).isEqualTo(SIGNED_AT.plus(Duration.ofMinutes(14)));
    }

    @Test
    void aRegionalTokenUsesTheRegionsEndpointAndSigningRegion() {
        URI url = url(issue("prod", "eu-west-1").token());
        assertThat(url.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
        assertThat(url.getQuery()).contains("X-Amz-Credential=AKIDEXAMPLE/20250506/eu-west-1/sts/aws4_request");
    }

    @Test
    void theSignatureIsSigV4OverTheClusterHeaderSoAnotherClusterNameDoesNotVerify() throws Exception {
        URI url = url(issue("prod", null).token());
        String signature = url.getQuery().replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");

        assertThat(SigV4Presign.expectedSignature(url, Map.of("x-k8s-aws-id", "prod"), KEYS.secretAccessKey()))
                .isEqualTo(signature);
        assertThat(SigV4Presign.expectedSignature(url, Map.of("x-k8s-aws-id", "staging"), KEYS.secretAccessKey()))
                .isNotEqualTo(signature);
    }

    @Test
    void sessionCredentialsCarryTheirSessionToken() {
        AwsSessionCredentials session = AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "session/token+x=");
        String token = IamToken.issue(session, "prod", IamToken.stsEndpoint(null), IamToken.GLOBAL_REGION,
                Clock.fixed(SIGNED_AT, ZoneOffset.UTC)).token();
        assertThat(PresignedStsUrl.parse(token, Set.of(), at(SIGNED_AT)).accessKeyId()).isEqualTo("ASIAEXAMPLE");
        assertThat(url(token).getQuery()).contains("X-Amz-Security-Token=session/token+x=");
    }

    @Test
    void aFreshTokenPassesTheChecks() {
        PresignedStsUrl url = PresignedStsUrl.parse(issue("prod", "us-gov-west-1").token(), Set.of(),
                at(SIGNED_AT.plusSeconds(30)));
        assertThat(url.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(url.url().getHost()).isEqualTo("sts.us-gov-west-1.amazonaws.com");
    }

    @Test
    void tokensThatBreakARuleAreRefusedSayingWhich() {
        String good = issue("prod", null).token();
        refused(edit(good, u -> u.replace("https://sts.amazonaws.com/", "https://evil.example.com/")),
                "unexpected hostname \"evil.example.com\"");
        refused(edit(good, u -> u.replace("sts.amazonaws.com/", "sts.amazonaws.com.evil.example.com/")),
                "unexpected hostname");
        refused(edit(good, u -> u.replace("sts.amazonaws.com/", "sts.amazonaws.com:8443/")), "unexpected hostname");
        refused(edit(good, u -> u.replace("https://", "https://user@")), "unexpected hostname");
        refused(edit(good, u -> u.replace("https://", "http://")), "unexpected scheme \"http\"");
        refused(edit(good, u -> u.replace(".com/?", ".com/other?")), "unexpected path");
        refused(edit(good, u -> u + "&X-Amz-Extra=1"), "non-whitelisted query parameter \"X-Amz-Extra\"");
        refused(edit(good, u -> u + "&Action=GetCallerIdentity"), "query parameter with multiple values");
        refused(edit(good, u -> u.replace("Action=GetCallerIdentity", "Action=AssumeRole")), "unexpected action");
        refused(edit(good, u -> u.replace("Version=2011-06-15", "Version=2099-01-01")), "unexpected version");
        refused(edit(good, u -> u.replace("host%3Bx-k8s-aws-id", "host").replace("host;x-k8s-aws-id", "host")),
                "client did not sign the x-k8s-aws-id header");
        refused(edit(good, u -> u.replace("X-Amz-Expires=60", "X-Amz-Expires=901")), "invalid X-Amz-Expires");
        refused(edit(good, u -> u.replace("X-Amz-Date=20250506T070809Z", "X-Amz-Date=yesterday")), "invalid X-Amz-Date");
        refused("k8s-aws-v1.%%%not-base64", "not base64url");
        refused("k8s-aws-v1." + "A".repeat(5000), "token is too large");
    }

    @Test
    void aTokenIsValidForFifteenMinutesAfterItsDate() {
        String token = issue("prod", null).token();
        assertThat(PresignedStsUrl.parse(token, Set.of(), at(SIGNED_AT.plus(Duration.ofMinutes(15))))).isNotNull();
        assertThatThrownBy(() -> PresignedStsUrl.parse(token, Set.of(), at(SIGNED_AT.plus(Duration.ofMinutes(16)))))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("X-Amz-Date parameter is expired");
        assertThatThrownBy(() -> PresignedStsUrl.parse(token, Set.of(), at(SIGNED_AT.minus(Duration.ofMinutes(20)))))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("in the future");
    }

    @Test
    void anEmulatorsHostIsAcceptedOnlyWhenConfigured() {
        String local = IamToken.issue(KEYS, "prod", URI.create("https://127.0.0.1:4566"), "us-east-1",
                Clock.fixed(SIGNED_AT, ZoneOffset.UTC)).token();
        assertThatThrownBy(() -> PresignedStsUrl.parse(local, Set.of(), at(SIGNED_AT)))
                .hasMessageContaining("unexpected hostname \"127.0.0.1:4566\"");
        assertThat(PresignedStsUrl.parse(local, Set.of("127.0.0.1:4566"), at(SIGNED_AT)).url().getPort()).isEqualTo(4566);
    }

    @Test
    void assumedRoleArnsAreCanonicalisedToTheirRole() {
        CallerIdentity role = CallerIdentity.of("arn:aws:sts::111122223333:assumed-role/Deployer/alice@example.com",
                "111122223333", "AROAEXAMPLE:alice@example.com");
        assertThat(role.canonicalArn()).isEqualTo("arn:aws:iam::111122223333:role/Deployer");
        assertThat(role.sessionName()).isEqualTo("alice@example.com");
        assertThat(CallerIdentity.of("arn:aws:iam::111122223333:user/ops/bob", "111122223333", "AIDA").canonicalArn())
                .isEqualTo("arn:aws:iam::111122223333:user/ops/bob");
        assertThatThrownBy(() -> CallerIdentity.of("arn:aws:sts::111122223333:user/moto", "1", "x"))
                .hasMessage("unrecognized resource user/moto for service sts");
        assertThatThrownBy(() -> CallerIdentity.of("arn:aws:s3:::bucket", "1", "x"))
                .hasMessageContaining("is not a valid service for identities");
    }

    @Test
    void stsAnswersParseAsJsonAndAsXml() {
        String json = """
                {"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"111122223333",
                "Arn":"arn:aws:iam::111122223333:user/alice","UserId":"AIDAEXAMPLE"},
                "ResponseMetadata":{"RequestId":"r"}}}""";
        assertThat(CallerIdentity.parse(json.getBytes(StandardCharsets.UTF_8), "application/json").userId())
                .isEqualTo("AIDAEXAMPLE");
        String xml = """
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
                <Arn>arn:aws:iam::111122223333:role/R</Arn><UserId>AROA</UserId><Account>111122223333</Account>
                </GetCallerIdentityResult></GetCallerIdentityResponse>""";
        assertThat(CallerIdentity.parse(xml.getBytes(StandardCharsets.UTF_8), "text/xml").arn())
                .isEqualTo("arn:aws:iam::111122223333:role/R");
        String entity = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        assertThatThrownBy(() -> CallerIdentity.parse(entity.getBytes(StandardCharsets.UTF_8), "text/xml"))
                .isInstanceOf(InvalidTokenException.class);
    }

    static IamToken.Issued issue(String cluster, String region) {
        return IamToken.issue(KEYS, cluster, IamToken.stsEndpoint(region),
                region == null ? IamToken.GLOBAL_REGION : region, Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
    }

    static URI url(String token) {
        return URI.create(new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())),
                StandardCharsets.UTF_8));
    }

    private static String edit(String token, UnaryOperator<String> change) {
        String url = url(token).toString();
        String changed = change.apply(url);
        assertThat(changed).as("the edit changed the URL").isNotEqualTo(url);
        return "k8s-aws-v1." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(changed.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String token, String reason) {
        assertThatThrownBy(() -> PresignedStsUrl.parse(token, Set.of(), at(SIGNED_AT)))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining(reason);
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
