package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apimachinery.store.encryption.TransformException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Turns values into the bytes stored in items: gzip-compressed JSON (Kubernetes objects compress 3-10x), then the
 * resource's transformer (encryption for secrets; see {@link ResourceTransformers}), split into chunks when the
 * result is too large for one DynamoDB item (400 KB, including the other attributes).
 */
final class ValueCodec {
    /** Largest compressed value kept inline; leaves room for keys and the other attributes of an item. */
    static final int INLINE_LIMIT = 350 * 1024;
    static final int CHUNK_SIZE = 350 * 1024;
    /** A transaction holds at most 100 items and 4 MB; chunks plus the object and log items must fit. */
    static final int MAX_CHUNKS = 10;

    private final ObjectMapper mapper;
    private final ResourceTransformers transformers;

    ValueCodec(ObjectMapper mapper, ResourceTransformers transformers) {
        this.mapper = mapper;
        this.transformers = transformers;
    }

    byte[] encode(ObjectKey key, ObjectNode value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            mapper.writeValue(gzip, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] encoded;
        try {
            encoded = transformers.forResource(key.resource()).toStorage(bytes.toByteArray(), context(key));
        } catch (TransformException e) {
            throw new StoreException.TransformFailed(key, e);
        }
        if (encoded.length > MAX_CHUNKS * CHUNK_SIZE) {
            throw new StoreException.TooLarge(key, encoded.length, MAX_CHUNKS * CHUNK_SIZE);
        }
        return encoded;
    }

    ObjectNode decode(ObjectKey key, byte[] stored) {
        byte[] encoded;
        try {
            encoded = transformers.forResource(key.resource()).fromStorage(stored, context(key));
        } catch (TransformException e) {
            throw new StoreException.TransformFailed(key, e);
        }
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(encoded))) {
            return (ObjectNode) mapper.readTree(gzip);
        } catch (IOException e) {
            throw new UncheckedIOException("stored value is corrupt", e);
        }
    }

    /** The authenticated data that binds an encrypted value to its object: {@code resource/namespace/name}. */
    private static byte[] context(ObjectKey key) {
        return (key.resource() + "/" + key.storageKey()).getBytes(StandardCharsets.UTF_8);
    }

    static boolean fitsInline(byte[] encoded) {
        return encoded.length <= INLINE_LIMIT;
    }

    static List<byte[]> split(byte[] encoded) {
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < encoded.length; from += CHUNK_SIZE) {
            chunks.add(Arrays.copyOfRange(encoded, from, Math.min(encoded.length, from + CHUNK_SIZE)));
        }
        return chunks;
    }

    static byte[] join(List<byte[]> chunks) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(joined::writeBytes);
        return joined.toByteArray();
    }
}
