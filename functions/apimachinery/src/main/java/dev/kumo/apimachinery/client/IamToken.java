package dev.kumo.apimachinery.client;

import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The EKS token (aws-iam-authenticator's {@code k8s-aws-v1} format): {@code k8s-aws-v1.} followed by the unpadded
 * base64url of an STS {@code GetCallerIdentity} URL presigned with SigV4 in the query string, whose signed headers
 * include {@code x-k8s-aws-id: <cluster>}. The API server GETs the URL with that header: STS answers with the
 * signer's identity only if the signature holds, so the token proves who made it and for which cluster.
 */
public final class IamToken {
    public static final String PREFIX = "k8s-aws-v1.";
    public static final String CLUSTER_ID_HEADER = "x-k8s-aws-id";
    /** What the client puts in X-Amz-Expires; STS ignores it and honours a URL for 15 minutes after X-Amz-Date. */
    public static final Duration PRESIGN_EXPIRES = Duration.ofSeconds(60);
    public static final Duration URL_LIFETIME = Duration.ofMinutes(15);
    /** A minute under the URL's lifetime, as aws-iam-authenticator and {@code aws eks get-token} do. */
    public static final Duration TOKEN_LIFETIME = URL_LIFETIME.minusMinutes(1);
    public static final String GLOBAL_STS_HOST = "sts.amazonaws.com";
    /** The signing region of the global endpoint. */
    public static final String GLOBAL_REGION = "us-east-1";

    private IamToken() {
    }

    /** A token and when the client should get a new one. */
    public record Issued(String token, Instant expiration) {
    }

    /** STS's endpoint: the global one without a region, else the region's. */
    public static URI stsEndpoint(String region) {
        return URI.create("https://" + (region == null || region.isBlank() ? GLOBAL_STS_HOST
                : "sts." + region + ".amazonaws.com"));
    }

    /**
     * Presigns {@code GetCallerIdentity} for {@code cluster} with {@code credentials}.
     *
     * @param endpoint      STS's base URL ({@link #stsEndpoint})
     * @param signingRegion the endpoint's region ({@link #GLOBAL_REGION} for the global endpoint)
     */
    public static Issued issue(AwsCredentialsIdentity credentials, String cluster, URI endpoint, String signingRegion,
                               Clock clock) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                .uri(endpoint.resolve("/"))
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_ID_HEADER, cluster)
                .build();
        SdkHttpFullRequest signed = (SdkHttpFullRequest) AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials).request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, PRESIGN_EXPIRES)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();
        String url = signed.getUri().toString();
        return new Issued(PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(url.getBytes(StandardCharsets.UTF_8)), clock.instant().plus(TOKEN_LIFETIME));
    }
}
