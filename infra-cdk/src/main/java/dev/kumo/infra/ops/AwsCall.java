package dev.kumo.infra.ops;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One SigV4-signed call to an AWS API that this build has no SDK client for (the partial Maven mirror holds no
 * CloudFormation or SSM module): the SDK's own signer, credentials chain and HTTP client, and the request body the
 * service's protocol wants (a form for the Query protocol of CloudFormation and STS, JSON 1.1 for SSM).
 * {@code AWS_ENDPOINT_URL_<SERVICE>} or {@code AWS_ENDPOINT_URL} point it elsewhere (LocalStack), as the SDKs do.
 */
final class AwsCall {
    private final SdkHttpClient http;
    private final AwsCredentialsIdentity credentials;
    private final String region;
    private final Map<String, String> env;

    AwsCall(SdkHttpClient http, AwsCredentialsIdentity credentials, String region, Map<String, String> env) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.env = env;
    }

    /** With the SDK's default credentials chain (environment, profile, SSO, instance role). */
    static AwsCall withDefaultCredentials(SdkHttpClient http, String region, Map<String, String> env) {
        try (DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build()) {
            return new AwsCall(http, provider.resolveCredentials(), region, env);
        }
    }

    String region() {
        return region;
    }

    /** A Query-protocol action (CloudFormation, STS): a form POST; the answer is XML. */
    String query(String service, Map<String, String> parameters) throws IOException {
        String form = parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(service, Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), form);
    }

    /** A JSON 1.1 action ({@code X-Amz-Target: <prefix>.<action>}, e.g. {@code AmazonSSM.PutParameter}). */
    String json(String service, String target, String body) throws IOException {
        return send(service, Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", target), body);
    }

    /** The service's endpoint: an override from the environment, else its regional endpoint. */
    URI endpoint(String service) {
        return endpointOverride(service).orElse(URI.create("https://" + service + "." + region + ".amazonaws.com"));
    }

    /** {@code AWS_ENDPOINT_URL_<SERVICE>}, else {@code AWS_ENDPOINT_URL}, if set. */
    java.util.Optional<URI> endpointOverride(String service) {
        String specific = env.get("AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT));
        String any = env.get("AWS_ENDPOINT_URL");
        String override = specific != null && !specific.isBlank() ? specific : any;
        return override == null || override.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(URI.create(override.strip()));
    }

    private String send(String service, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(endpoint(service).resolve("/"));
        headers.forEach(request::putHeader);
        ContentStreamProvider content = ContentStreamProvider.fromByteArray(bytes);
        SdkHttpFullRequest signed = (SdkHttpFullRequest) AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials).request(request.build()).payload(content)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed).contentStreamProvider(RequestBody.fromBytes(bytes).contentStreamProvider())
                .build()).call();
        String answer;
        try (InputStream in = response.responseBody().map(AbortableInputStream.class::cast)
                .orElse(AbortableInputStream.createEmpty())) {
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!response.httpResponse().isSuccessful()) {
            throw new AwsCallException(service, response.httpResponse().statusCode(), answer);
        }
        return answer;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An AWS API answered with an error: its status and body (which names the error code). */
    static final class AwsCallException extends IOException {
        private final int status;
        private final String body;

        AwsCallException(String service, int status, String body) {
            super(service + " answered " + status + ": " + body.strip());
            this.status = status;
            this.body = body;
        }

        int status() {
            return status;
        }

        boolean names(String errorCode) {
            return body.contains(errorCode);
        }
    }
}
