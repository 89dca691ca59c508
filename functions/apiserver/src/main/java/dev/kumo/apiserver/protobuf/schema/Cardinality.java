package dev.kumo.apiserver.protobuf.schema;

/** How many values a field holds and where its JSON goes. */
public enum Cardinality {
    /** One value, at the field's JSON name. */
    SINGLE,
    /** A JSON array; on the wire, one field occurrence per element (or one packed run for varints). */
    REPEATED,
    /** A JSON object with string keys; on the wire, one {key = 1, value = 2} entry message per key. */
    MAP,
    /**
     * A message embedded in Go with {@code json:",inline"} (e.g. {@code Volume.volumeSource}, {@code
     * Probe.handler}): its own field on the wire, but its fields sit in the enclosing JSON object.
     */
    INLINE
}
