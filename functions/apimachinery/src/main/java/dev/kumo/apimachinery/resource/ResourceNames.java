package dev.kumo.apimachinery.resource;

import dev.kumo.apimachinery.selection.Labels;

/**
 * Kinds of resource names, after Kubernetes' {@code v1helper} ({@code IsExtendedResourceName}, {@code IsNativeResource})
 * and the scheduler's {@code IsScalarResourceName}: one reading for validation, quota and scheduling.
 */
public final class ResourceNames {
    private static final String DEFAULT_NAMESPACE_PREFIX = "kubernetes.io/";
    private static final String REQUESTS_PREFIX = "requests.";

    private ResourceNames() {
    }

    /** Counted as a scalar: extended resources, hugepages, attachable volumes, kubernetes.io-prefixed ones. */
    public static boolean isScalar(String name) {
        return isExtended(name) || name.startsWith("hugepages-") || name.startsWith("attachable-volumes-")
                || isPrefixedNative(name);
    }

    /**
     * A resource outside the kubernetes.io domain, with a domain, whose quota name ({@code requests.<name>}) is a
     * qualified name, e.g. {@code example.com/gpu}.
     */
    public static boolean isExtended(String name) {
        if (isNative(name) || name.startsWith(REQUESTS_PREFIX)) {
            return false;
        }
        return Labels.isValidKey(REQUESTS_PREFIX + name);
    }

    /** Without a domain, or in the kubernetes.io domain. */
    public static boolean isNative(String name) {
        return !name.contains("/") || isPrefixedNative(name);
    }

    private static boolean isPrefixedNative(String name) {
        return name.contains(DEFAULT_NAMESPACE_PREFIX);
    }
}
