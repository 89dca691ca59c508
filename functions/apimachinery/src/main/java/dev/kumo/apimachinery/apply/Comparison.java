package dev.kumo.apimachinery.apply;

/**
 * What changed between two versions of an object, as field sets: fields and items that appeared, whose
 * value changed, and that disappeared.
 */
record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {

    /** Added or modified. */
    FieldSet changed() {
        return added.union(modified);
    }

    /** This comparison without the fields at or below {@code ignored}'s members. */
    Comparison without(FieldSet ignored) {
        return new Comparison(added.recursiveDifference(ignored), modified.recursiveDifference(ignored),
                removed.recursiveDifference(ignored));
    }
}
