package dev.kumo.apiserver.protobuf.schema;

/** An object's {@code apiVersion} and {@code kind}, as the protobuf envelope carries them. */
public record TypeName(String apiVersion, String kind) {
    @Override
    public String toString() {
        return apiVersion + ", Kind=" + kind;
    }
}
