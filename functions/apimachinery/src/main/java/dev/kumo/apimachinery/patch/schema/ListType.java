package dev.kumo.apimachinery.patch.schema;

/** {@code x-kubernetes-list-type}: how the items of a list are identified when lists are merged. */
public enum ListType {
    /** The list is a single value: whoever sets it replaces all of it. */
    ATOMIC,
    /** Items are scalars identified by their value. */
    SET,
    /** Items are objects identified by the fields named in {@code x-kubernetes-list-map-keys}. */
    MAP
}
