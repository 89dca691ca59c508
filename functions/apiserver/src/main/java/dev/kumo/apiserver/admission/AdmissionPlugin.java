package dev.kumo.apiserver.admission;

/**
 * An admission controller: may change an object before it is validated ({@link #admit}) and may refuse a write
 * after ({@link #validate}), by throwing an {@code ApiException} (usually 403 Forbidden) that says why.
 */
public interface AdmissionPlugin {
    /** Mutating phase: defaults and additions, in place on {@code request.object()}. */
    default void admit(AdmissionRequest request) {
    }

    /** Validating phase: the object is final; refuse or accept. */
    default void validate(AdmissionRequest request) {
    }
}
