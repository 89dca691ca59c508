package dev.kumo.apimachinery.apply;

/**
 * A field an apply would change that another manager owns.
 *
 * @param manager the owning manager's name
 * @param managerDescription how Kubernetes names the owner, e.g. {@code "kubectl-client-side-apply" using v1}
 * @param path the contested field
 */
public record Conflict(String manager, String managerDescription, FieldPath path) {

    /** The {@code message} of the Status cause: {@code conflict with "kubectl" using apps/v1}. */
    public String message() {
        return "conflict with " + managerDescription;
    }

    /** The {@code field} of the Status cause: the path, e.g. {@code .spec.replicas}. */
    public String field() {
        return path.toString();
    }
}
