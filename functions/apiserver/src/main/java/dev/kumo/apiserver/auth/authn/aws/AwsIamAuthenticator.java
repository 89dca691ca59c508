package dev.kumo.apiserver.auth.authn.aws;

import dev.kumo.apimachinery.client.IamToken;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authn.InvalidTokenException;
import dev.kumo.apiserver.auth.authn.TokenAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * EKS-style IAM authentication: a {@code k8s-aws-v1.} token is a presigned STS {@code GetCallerIdentity} URL
 * ({@link IamToken}). After {@link PresignedStsUrl} checked it, the URL is fetched with {@code x-k8s-aws-id} set to
 * this cluster's name: STS answers only if the signature, which covers that header, holds. The caller's ARN is
 * then mapped to a user ({@link IamIdentityMapper}); an unmapped ARN is refused. Answers are cached for
 * {@link #CACHE_TTL} (kube-apiserver's webhook token cache default), never past the token's own expiry, so a
 * client's calls cost one STS request.
 */
public final class AwsIamAuthenticator implements TokenAuthenticator {
    public static final String ENV_CLUSTER_NAME = "KUMO_CLUSTER_NAME";
    public static final String ENV_MAPPINGS = "KUMO_IAM_MAPPINGS";
    /** Extra STS hosts ({@code host:port}, comma-separated) for tests against an emulator. */
    public static final String ENV_STS_HOSTS = "KUMO_IAM_STS_HOSTS";
    public static final Duration CACHE_TTL = Duration.ofMinutes(2);
    private static final int CACHE_LIMIT = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(AwsIamAuthenticator.class);

    private final String clusterName;
    private final Set<String> extraHosts;
    private final IamIdentityMapper mapper;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(UserInfo user, Instant until) {
    }

    public AwsIamAuthenticator(String clusterName, Set<String> extraHosts, IamIdentityMapper mapper, HttpClient http,
                               Clock clock) {
        this.clusterName = clusterName;
        this.extraHosts = Set.copyOf(extraHosts);
        this.mapper = mapper;
        this.http = http;
        this.clock = clock;
    }

    /** The authenticator the environment configures, if it names the cluster ({@code KUMO_CLUSTER_NAME}). */
    public static Optional<AwsIamAuthenticator> fromEnvironment(Map<String, String> env, Store store) {
        String cluster = env.get(ENV_CLUSTER_NAME);
        if (cluster == null || cluster.isBlank()) {
            return Optional.empty();
        }
        Set<String> hosts = Arrays.stream(env.getOrDefault(ENV_STS_HOSTS, "").split(","))
                .map(String::strip).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
        IamIdentityMapper mapper = new IamIdentityMapper(IamIdentityMapper.parseMappings(env.get(ENV_MAPPINGS)), store,
                Clock.systemUTC());
        return Optional.of(new AwsIamAuthenticator(cluster.strip(), hosts, mapper, defaultClient(), Clock.systemUTC()));
    }

    /** Short timeouts: STS answers in tens of milliseconds, and a hung call would hold the request. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Optional<UserInfo> authenticate(String token) {
        if (!token.startsWith(IamToken.PREFIX)) {
            return Optional.empty();
        }
        String digest = digest(token);
        Instant now = clock.instant();
        Cached cached = cache.get(digest);
        if (cached != null && now.isBefore(cached.until())) {
            return Optional.of(cached.user());
        }
        PresignedStsUrl presigned = PresignedStsUrl.parse(token, extraHosts, clock);
        CallerIdentity identity = callerIdentity(presigned);
        UserInfo user = mapper.map(identity, presigned.accessKeyId()).orElseThrow(() -> new InvalidTokenException(
                "ARN is not mapped: " + identity.arn() + " (canonical " + identity.canonicalArn() + ")"));
        LOG.atDebug().addKeyValue("arn", identity.arn()).addKeyValue("user", user.name())
                .log("authenticated an IAM identity");
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        Instant until = now.plus(CACHE_TTL);
        cache.put(digest, new Cached(user, until.isBefore(presigned.expires()) ? until : presigned.expires()));
        return Optional.of(user);
    }

    private CallerIdentity callerIdentity(PresignedStsUrl presigned) {
        HttpRequest request = HttpRequest.newBuilder(presigned.url()).GET().timeout(TIMEOUT)
                .header(IamToken.CLUSTER_ID_HEADER, clusterName)
                .header("Accept", "application/json")
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new InvalidTokenException("could not reach STS at " + presigned.url().getHost() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidTokenException("interrupted while asking STS", e);
        }
        if (response.statusCode() != 200) {
            byte[] body = response.body();
            throw new InvalidTokenException("error from AWS (expected 200, got " + response.statusCode() + "). Body: "
                    + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8));
        }
        return CallerIdentity.parse(response.body(), response.headers().firstValue("Content-Type").orElse(""));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
