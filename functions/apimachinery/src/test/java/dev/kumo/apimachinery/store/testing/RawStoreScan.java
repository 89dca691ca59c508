package dev.kumo.apimachinery.store.testing;

import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Everything the store's two tables hold, read raw with Scan (as someone with read access to DynamoDB, a backup or
 * the log table's stream would see it), in the forms a reader could recover: every string, the bytes of every
 * binary attribute, what those bytes gunzip to, and what each value's chunks joined in order gunzip to.
 */
public final class RawStoreScan {
    private final List<Map.Entry<String, String>> views = new ArrayList<>();

    private RawStoreScan() {
    }

    public static RawStoreScan of(DynamoDbClient dynamo, StoreTables tables) {
        RawStoreScan scan = new RawStoreScan();
        Map<String, Map<String, byte[]>> chunksByPartition = new TreeMap<>();
        for (String table : List.of(tables.objects(), tables.log())) {
            for (Map<String, AttributeValue> item : dynamo.scanPaginator(ScanRequest.builder().tableName(table)
                    .consistentRead(true).build()).items()) {
                String where = table + " " + item.get("r").s() + " " + (item.containsKey("k") ? item.get("k").s() : "")
                        + (item.containsKey("rv") ? " @" + item.get("rv").n() : "");
                item.forEach((name, value) -> scan.add(where + " ." + name, value));
                if (item.get("r").s().startsWith("~chunk/") && item.containsKey("c")) {
                    chunksByPartition.computeIfAbsent(item.get("r").s(), p -> new TreeMap<>())
                            .put(item.get("k").s(), item.get("c").b().asByteArray());
                }
            }
        }
        chunksByPartition.forEach((partition, chunks) -> {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            chunks.values().forEach(joined::writeBytes);
            scan.addBytes(partition + " (chunks joined)", joined.toByteArray());
        });
        return scan;
    }

    /** Where {@code text} appears, as it is or base64 encoded (standard and URL-safe); empty when nowhere. */
    public List<String> occurrences(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> forms = List.of(text, Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> view : views) {
            for (String form : forms) {
                if (view.getValue().contains(form)) {
                    found.add(view.getKey() + " contains " + (form.equals(text) ? "the text" : "its base64 " + form));
                }
            }
        }
        return found;
    }

    /** The number of views (attributes and recovered forms) scanned, to show the scan saw something. */
    public int size() {
        return views.size();
    }

    private void add(String where, AttributeValue value) {
        if (value.s() != null) {
            views.add(Map.entry(where, value.s()));
        } else if (value.n() != null) {
            views.add(Map.entry(where, value.n()));
        } else if (value.b() != null) {
            addBytes(where, value.b().asByteArray());
        }
    }

    private void addBytes(String where, byte[] bytes) {
        views.add(Map.entry(where + " (raw)", new String(bytes, StandardCharsets.ISO_8859_1)));
        byte[] inflated = gunzipWhatWeCan(bytes);
        if (inflated.length > 0) {
            views.add(Map.entry(where + " (gunzipped)", new String(inflated, StandardCharsets.UTF_8)));
        }
    }

    /** As much as gunzips: a chunk holds only part of a stream, which still inflates up to where it ends. */
    private static byte[] gunzipWhatWeCan(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException notGzipOrTruncated) {
            // keep what inflated before the stream ended
        }
        return out.toByteArray();
    }
}
