package dev.kumo.apiserver.protobuf.build;

import java.util.List;
import java.util.Set;

/**
 * The API packages whose kinds the codec reads and writes: the one list to extend when kumo serves more groups.
 * Each package's kinds are those its register.go registers; the meta kinds below come with every group-version.
 */
final class ServedPackages {
    record ApiPackage(String apiVersion, String goPackage) {
        /** The proto package, which go-to-protobuf derives from the Go package path. */
        String protoPackage() {
            return ServedPackages.protoPackage(goPackage);
        }
    }

    static final List<ApiPackage> ALL = List.of(
            new ApiPackage("v1", "k8s.io/api/core/v1"),
            new ApiPackage("apps/v1", "k8s.io/api/apps/v1"),
            new ApiPackage("autoscaling/v1", "k8s.io/api/autoscaling/v1"),
            new ApiPackage("coordination.k8s.io/v1", "k8s.io/api/coordination/v1"),
            new ApiPackage("discovery.k8s.io/v1", "k8s.io/api/discovery/v1"),
            new ApiPackage("events.k8s.io/v1", "k8s.io/api/events/v1"),
            new ApiPackage("rbac.authorization.k8s.io/v1", "k8s.io/api/rbac/v1"),
            new ApiPackage("authentication.k8s.io/v1", "k8s.io/api/authentication/v1"),
            new ApiPackage("authorization.k8s.io/v1", "k8s.io/api/authorization/v1"));

    /**
     * Registered kinds no API endpoint returns or accepts: core/v1 List (a Go type defined as metav1.List) holds
     * objects of mixed kinds for kubectl's local files only.
     */
    static final Set<String> NOT_SERVED = Set.of("List");

    static final String META = "k8s.io/apimachinery/pkg/apis/meta/v1";
    static final String META_API_VERSION = "meta.k8s.io/v1";

    /** What metav1.AddToGroupVersion registers in every group-version: WatchEvent and optionsTypes. */
    static final List<String> META_KINDS_IN_EVERY_GROUP_VERSION = List.of(
            "WatchEvent", "ListOptions", "GetOptions", "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions");

    /** Registered as unversioned, so always {@code apiVersion: v1} (the discovery kinds are served as JSON only). */
    static final String STATUS = "Status";

    private ServedPackages() {
    }

    static String protoPackage(String goPackage) {
        return goPackage.replace('/', '.');
    }
}
