package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Reads and writes {@code metadata.managedFields} in Kubernetes' format. */
public final class ManagedFields {

    private static final String FIELDS_V1 = "FieldsV1";

    /** Kubernetes' order: Apply before Update, then oldest first, then by manager, version, subresource. */
    private static final Comparator<ManagedFieldsEntry> ORDER = Comparator
            .comparing((ManagedFieldsEntry e) -> e.operation().wireName())
            .thenComparingLong(e -> e.time() == null ? 0 : e.time().getEpochSecond())
            .thenComparing(ManagedFieldsEntry::manager)
            .thenComparing(ManagedFieldsEntry::apiVersion)
            .thenComparing(ManagedFieldsEntry::subresource);

    private ManagedFields() {
    }

    /** The entries of a {@code managedFields} value; absent or null is no entry. */
    public static List<ManagedFieldsEntry> decode(JsonNode managedFields) {
        if (managedFields == null || managedFields.isNull() || managedFields.isMissingNode()) {
            return List.of();
        }
        if (!managedFields.isArray()) {
            throw new InvalidManagedFieldsException("managedFields must be a list");
        }
        List<ManagedFieldsEntry> entries = new ArrayList<>();
        for (JsonNode entry : managedFields) {
            entries.add(decodeEntry(entry));
        }
        return entries;
    }

    private static ManagedFieldsEntry decodeEntry(JsonNode entry) {
        if (!entry.isObject()) {
            throw new InvalidManagedFieldsException("a managedFields entry must be an object");
        }
        String fieldsType = entry.path("fieldsType").asText("");
        if (!fieldsType.equals(FIELDS_V1)) {
            throw new InvalidManagedFieldsException("invalid fieldsType \"" + fieldsType + "\", expected FieldsV1");
        }
        JsonNode fields = entry.get("fieldsV1");
        return new ManagedFieldsEntry(
                entry.path("manager").asText(""),
                Operation.parse(entry.path("operation").asText("")),
                entry.path("apiVersion").asText(""),
                time(entry.get("time")),
                entry.path("subresource").asText(""),
                fields == null || fields.isNull() ? FieldSet.empty() : FieldsV1.decode(fields));
    }

    private static Instant time(JsonNode time) {
        if (time == null || time.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(time.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidManagedFieldsException("invalid managedFields time \"" + time.asText() + "\"");
        }
    }

    /** The {@code managedFields} value for these entries, in Kubernetes' order. */
    public static ArrayNode encode(Collection<ManagedFieldsEntry> entries) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        entries.stream().sorted(ORDER).forEach(entry -> array.add(encodeEntry(entry)));
        return array;
    }

    private static ObjectNode encodeEntry(ManagedFieldsEntry entry) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("manager", entry.manager());
        json.put("operation", entry.operation().wireName());
        if (!entry.apiVersion().isEmpty()) {
            json.put("apiVersion", entry.apiVersion());
        }
        if (entry.time() != null) {
            json.put("time", DateTimeFormatter.ISO_INSTANT.format(entry.time().truncatedTo(ChronoUnit.SECONDS)));
        }
        json.put("fieldsType", FIELDS_V1);
        json.set("fieldsV1", FieldsV1.encode(entry.fields()));
        if (!entry.subresource().isEmpty()) {
            json.put("subresource", entry.subresource());
        }
        return json;
    }

    /** Whether a client asks to clear managedFields, which it does by sending a single empty entry. */
    static boolean isReset(JsonNode managedFields) {
        return managedFields != null && managedFields.isArray() && managedFields.size() == 1
                && managedFields.get(0).isObject() && managedFields.get(0).isEmpty();
    }
}
