package dev.kumo.apiserver.protobuf.build;

/**
 * A Go struct field with a {@code protobuf} tag: what the .proto file does not say about its JSON.
 *
 * @param number    the proto field number from the tag
 * @param jsonName  the name in the {@code json} tag; empty for an inline struct
 * @param pointer   whether the Go type is a pointer, so a zero value is still a value
 * @param omitEmpty whether the {@code json} tag has omitempty
 * @param inline    whether the {@code json} tag is {@code ",inline"}
 */
record GoField(int number, String jsonName, boolean pointer, boolean omitEmpty, boolean inline) {
}
