package dev.kumo.apimachinery.patch.schema;

/** {@code x-kubernetes-map-type}: whether an object's fields are merged one by one or as a whole. */
public enum MapType {
    /** Fields are merged and owned one by one (the default). */
    GRANULAR,
    /** The object is a single value: whoever sets it replaces all of it. */
    ATOMIC
}
