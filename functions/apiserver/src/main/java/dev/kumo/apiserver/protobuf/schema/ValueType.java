package dev.kumo.apiserver.protobuf.schema;

/**
 * What one value of a field is, on the wire and in JSON. The last seven are Kubernetes messages whose JSON form is
 * not their proto form (Go types with their own JSON marshalling).
 */
public enum ValueType {
    STRING,
    BOOL,
    INT32,
    INT64,
    /** {@code []byte}: base64 text in JSON. */
    BYTES,
    /** A message shown as a JSON object of its fields. */
    MESSAGE,
    /** {@code meta.v1.Time}: {seconds, nanos} on the wire, RFC 3339 to the second in JSON. */
    TIME,
    /** {@code meta.v1.MicroTime}: {seconds, nanos} on the wire, RFC 3339 with six fraction digits in JSON. */
    MICRO_TIME,
    /** {@code resource.Quantity}: {string} on the wire, the string in JSON. */
    QUANTITY,
    /** {@code intstr.IntOrString}: {type, intVal, strVal} on the wire, a number or a string in JSON. */
    INT_OR_STRING,
    /** {@code runtime.RawExtension}: {raw} on the wire, the embedded JSON value in JSON. */
    RAW_EXTENSION,
    /** {@code meta.v1.FieldsV1}: {Raw} on the wire, the embedded JSON object in JSON. */
    FIELDS_V1,
    /**
     * A named Go {@code []string} marked {@code +protobuf.nullable} (the reviews' and UserInfo's
     * {@code ExtraValue}): {repeated string items = 1} on the wire, the bare array in JSON.
     */
    STRING_LIST
}
