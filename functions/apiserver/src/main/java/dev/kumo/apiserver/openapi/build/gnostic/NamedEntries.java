package dev.kumo.apiserver.openapi.build.gnostic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message whose JSON form is a map, such as {@code Definitions} or {@code Paths}: each entry becomes a
 * {@code Named<Type>} in {@code entryField}, in document order; for {@code Paths} and {@code Responses},
 * {@code x-} entries go to {@code vendorExtensionField} instead.
 *
 * @param valueType the message type of the values, or {@code null} for string values ({@code NamedString})
 * @param vendorExtensionField 0 when the message has no vendor extensions
 */
record NamedEntries(int entryField, String valueType, int vendorExtensionField) implements MessageEncoder {
    static NamedEntries of(String valueType) {
        return new NamedEntries(1, valueType, 0);
    }

    static NamedEntries ofStrings() {
        return new NamedEntries(1, null, 0);
    }

    @Override
    public void encode(JsonNode json, String at, ProtoWriter out, Messages messages) {
        JsonValues.object(json, at);
        if (vendorExtensionField != 0 && vendorExtensionField < entryField) {
            writeVendorExtensions(json, at, out, messages);
        }
        json.properties().forEach(entry -> {
            if (vendorExtensionField == 0 || !entry.getKey().startsWith("x-")) {
                out.message(entryField, entry(entry.getKey(), entry.getValue(), JsonValues.child(at, entry.getKey()), messages));
            }
        });
        if (vendorExtensionField > entryField) {
            writeVendorExtensions(json, at, out, messages);
        }
    }

    private ProtoWriter entry(String name, JsonNode value, String at, Messages messages) {
        if (valueType != null) {
            return messages.named(name, valueType, value, at);
        }
        ProtoWriter named = new ProtoWriter();
        named.string(1, name);
        named.string(2, JsonValues.text(value, at));
        return named;
    }

    private void writeVendorExtensions(JsonNode json, String at, ProtoWriter out, Messages messages) {
        json.properties().forEach(entry -> {
            if (entry.getKey().startsWith("x-")) {
                out.message(vendorExtensionField,
                        messages.named(entry.getKey(), "Any", entry.getValue(), JsonValues.child(at, entry.getKey())));
            }
        });
    }
}
