package dev.kumo.apiserver.auth.authn.aws;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The signature of a SigV4 query-string presigned GET, computed from AWS's specification ("Create a signed AWS API
 * request"), independently of the SDK: the check that a token's URL is what STS will verify.
 */
final class SigV4Presign {
    private static final String EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private SigV4Presign() {
    }

    /** The signature STS would expect for {@code url} when it is fetched with {@code headers} (names lower-case). */
    static String expectedSignature(URI url, Map<String, String> headers, String secretKey) throws GeneralSecurityException {
        Map<String, String> query = new TreeMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        query.remove("X-Amz-Signature");
        StringBuilder canonicalQuery = new StringBuilder();
        query.forEach((k, v) -> canonicalQuery.append(canonicalQuery.isEmpty() ? "" : "&")
                .append(encode(k)).append('=').append(encode(v)));
        String signedHeaders = query.get("X-Amz-SignedHeaders");
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            String value = name.equals("host") ? url.getRawAuthority() : headers.get(name);
            canonicalHeaders.append(name).append(':').append(value == null ? "" : value.strip()).append('\n');
        }
        String canonicalRequest = "GET\n" + url.getRawPath() + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n"
                + signedHeaders + "\n" + EMPTY_PAYLOAD_SHA256;
        String[] scope = query.get("X-Amz-Credential").split("/", 2);
        String stringToSign = "AWS4-HMAC-SHA256\n" + query.get("X-Amz-Date") + "\n" + scope[1] + "\n"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        String[] parts = scope[1].split("/");
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), parts[0]);
        key = hmac(key, parts[1]);
        key = hmac(key, parts[2]);
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
