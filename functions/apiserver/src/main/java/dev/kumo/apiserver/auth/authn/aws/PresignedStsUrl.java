package dev.kumo.apiserver.auth.authn.aws;

import dev.kumo.apimachinery.client.IamToken;
import dev.kumo.apiserver.auth.authn.InvalidTokenException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The presigned STS URL inside an IAM token, checked as strictly as aws-iam-authenticator's verifier before the
 * API server sends anything anywhere: https, an STS host, path {@code /}, {@code GetCallerIdentity} of version
 * 2011-06-15, only the query parameters a SigV4 presign has (each once), {@code x-k8s-aws-id} among the signed
 * headers, {@code X-Amz-Expires} at most 900 s, and an {@code X-Amz-Date} less than 15 minutes old.
 *
 * @param url         the URL to GET
 * @param accessKeyId the signer's access key id (from {@code X-Amz-Credential})
 * @param expires     when STS stops honouring the URL ({@code X-Amz-Date} + 15 minutes)
 */
public record PresignedStsUrl(URI url, String accessKeyId, Instant expires) {
    /** aws-iam-authenticator's limit; a presigned URL with a session token is ~1.5-2 KB. */
    public static final int MAX_TOKEN_LENGTH = 4096;
    private static final Set<String> ALLOWED_PARAMETERS = Set.of("action", "version", "x-amz-algorithm",
            "x-amz-credential", "x-amz-date", "x-amz-expires", "x-amz-security-token", "x-amz-signature",
            "x-amz-signedheaders");
    private static final int MAX_EXPIRES_SECONDS = 900;
    /** Clocks drift; STS itself refuses dates more than 15 minutes ahead. */
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    private static final Pattern STS_HOST =
            Pattern.compile("sts(\\.[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d)?\\.amazonaws\\.com(\\.cn)?");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /**
     * @param extraHosts hosts ({@code host[:port]}) accepted besides AWS's STS endpoints, for tests against an
     *                   emulator
     * @throws InvalidTokenException saying which rule the token breaks
     */
    public static PresignedStsUrl parse(String token, Set<String> extraHosts, Clock clock) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("token is too large (" + token.length() + " bytes, limit "
                    + MAX_TOKEN_LENGTH + ")");
        }
        if (!token.startsWith(IamToken.PREFIX)) {
            throw new InvalidTokenException("token is missing expected \"" + IamToken.PREFIX + "\" prefix");
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token.substring(IamToken.PREFIX.length())),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("token is not base64url: " + e.getMessage());
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidTokenException("the token's pre-signed URL does not parse: " + e.getReason());
        }
        if (!"https".equals(url.getScheme())) {
            throw new InvalidTokenException("unexpected scheme \"" + url.getScheme() + "\" in pre-signed URL");
        }
        String host = url.getRawAuthority();
        if (url.getRawUserInfo() != null || host == null
                || !(url.getPort() == -1 && STS_HOST.matcher(host).matches() || extraHosts.contains(host))) {
            throw new InvalidTokenException("unexpected hostname \"" + host + "\" in pre-signed URL");
        }
        if (!"/".equals(url.getRawPath()) || url.getRawFragment() != null) {
            throw new InvalidTokenException("unexpected path in pre-signed URL");
        }
        Map<String, String> query = query(url.getRawQuery());
        if (!"GetCallerIdentity".equals(query.get("action"))) {
            throw new InvalidTokenException("unexpected action parameter in pre-signed URL");
        }
        if (!"2011-06-15".equals(query.get("version"))) {
            throw new InvalidTokenException("unexpected version parameter in pre-signed URL");
        }
        if (!"AWS4-HMAC-SHA256".equals(query.get("x-amz-algorithm")) || query.get("x-amz-signature") == null) {
            throw new InvalidTokenException("the pre-signed URL is not signed with AWS4-HMAC-SHA256");
        }
        String signedHeaders = query.getOrDefault("x-amz-signedheaders", "");
        if (!Arrays.asList(signedHeaders.split(";")).contains(IamToken.CLUSTER_ID_HEADER)) {
            throw new InvalidTokenException("client did not sign the " + IamToken.CLUSTER_ID_HEADER
                    + " header in the pre-signed URL");
        }
        int expires;
        try {
            expires = Integer.parseInt(query.getOrDefault("x-amz-expires", ""));
        } catch (NumberFormatException e) {
            throw new InvalidTokenException("invalid X-Amz-Expires parameter in pre-signed URL");
        }
        if (expires < 0 || expires > MAX_EXPIRES_SECONDS) {
            throw new InvalidTokenException("invalid X-Amz-Expires parameter in pre-signed URL: " + expires);
        }
        Instant signed = checkDate(query.get("x-amz-date"), clock);
        String credential = query.getOrDefault("x-amz-credential", "");
        int slash = credential.indexOf('/');
        if (slash <= 0) {
            throw new InvalidTokenException("invalid X-Amz-Credential parameter in pre-signed URL");
        }
        return new PresignedStsUrl(url, credential.substring(0, slash), signed.plus(IamToken.URL_LIFETIME));
    }

    private static Instant checkDate(String date, Clock clock) {
        if (date == null) {
            throw new InvalidTokenException("X-Amz-Date parameter must be present in pre-signed URL");
        }
        Instant signed;
        try {
            signed = LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidTokenException("invalid X-Amz-Date parameter in pre-signed URL");
        }
        Instant now = clock.instant();
        if (now.isAfter(signed.plus(IamToken.URL_LIFETIME))) {
            throw new InvalidTokenException("X-Amz-Date parameter is expired (15 minute expiration) " + signed);
        }
        if (signed.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new InvalidTokenException("X-Amz-Date parameter is in the future: " + signed);
        }
        return signed;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key;
            String value;
            try {
                key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidTokenException("malformed query parameter in pre-signed URL");
            }
            String lower = key.toLowerCase(Locale.ROOT);
            if (!ALLOWED_PARAMETERS.contains(lower)) {
                throw new InvalidTokenException("non-whitelisted query parameter \"" + key + "\"");
            }
            if (query.put(lower, value) != null) {
                throw new InvalidTokenException("query parameter with multiple values not supported");
            }
        }
        return query;
    }
}
