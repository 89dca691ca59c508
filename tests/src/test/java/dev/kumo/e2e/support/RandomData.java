package dev.kumo.e2e.support;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;

/** Incompressible test data: nothing in the path (gzip, DynamoDB chunking) can make it small. */
public final class RandomData {
    private static final Random RANDOM = new SecureRandom();

    private RandomData() {
    }

    public static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Exactly {@code length} characters of base64 text (valid as a ConfigMap value, 6 random bits a byte). */
    public static String text(int length) {
        return Base64.getEncoder().encodeToString(bytes(length)).substring(0, length);
    }
}
