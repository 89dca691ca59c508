package dev.kumo.apimachinery.store.encryption;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Kubernetes' prefix transformers: writes go through one transformer, and a read picks the provider whose prefix
 * the stored value carries. A value without the {@code k8s:enc:} prefix was written before encryption was enabled
 * and is read as it is, so turning encryption on needs no migration; it is encrypted when next written.
 */
public final class PrefixTransformers implements ValueTransformer {
    private static final byte[] ENCRYPTED = "k8s:enc:".getBytes(StandardCharsets.US_ASCII);

    private final ValueTransformer writer;
    private final List<EnvelopeTransformer> readers;

    /**
     * @param writer  what writes use: one of the readers, or {@link ValueTransformer#IDENTITY} for plain values
     * @param readers every provider whose values must stay readable (the writer's first; older keys after it)
     */
    public PrefixTransformers(ValueTransformer writer, List<EnvelopeTransformer> readers) {
        this.writer = writer;
        this.readers = List.copyOf(readers);
    }

    @Override
    public byte[] toStorage(byte[] data, byte[] context) {
        return writer.toStorage(data, context);
    }

    @Override
    public byte[] fromStorage(byte[] stored, byte[] context) {
        for (EnvelopeTransformer reader : readers) {
            if (reader.wrote(stored)) {
                return reader.fromStorage(stored, context);
            }
        }
        if (EnvelopeTransformer.startsWith(stored, ENCRYPTED)) {
            throw new TransformException("the value is encrypted (" + describePrefix(stored)
                    + ") by a provider that is not configured; configured: "
                    + (readers.isEmpty() ? "none" : readers.stream().map(EnvelopeTransformer::provider).toList()));
        }
        return stored;
    }

    /** The stored value's prefix up to its provider name, e.g. {@code k8s:enc:kms:v2:aws-kms}. */
    private static String describePrefix(byte[] stored) {
        int colons = 0;
        int end = 0;
        while (end < Math.min(stored.length, 64) && colons < 5) {
            if (stored[end] == ':') {
                colons++;
            }
            end++;
        }
        String text = new String(stored, 0, Math.max(0, end - 1), StandardCharsets.US_ASCII);
        return text.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
