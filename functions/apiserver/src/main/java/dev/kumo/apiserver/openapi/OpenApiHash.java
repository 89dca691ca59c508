package dev.kumo.apiserver.openapi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The hash kube-apiserver uses for OpenAPI ETags and the v3 {@code ?hash=} query: SHA-512, uppercase hex. */
public final class OpenApiHash {
    private OpenApiHash() {
    }

    public static String of(byte[] data) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required of every Java platform", e);
        }
    }
}
