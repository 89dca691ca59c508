package dev.kumo.controllers.scheduler.framework;

import dev.kumo.apimachinery.selection.Labels;

/** Kinds of resource names, after Kubernetes' {@code v1helper} and the scheduler's {@code IsScalarResourceName}. */
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

    /** A resource outside the kubernetes.io domain, with a domain, whose quota name is a qualified name. */
    public static boolean isExtended(String name) {
        if (isNative(name) || name.startsWith(REQUESTS_PREFIX)) {
            return false;
        }
        return Labels.isValidKey(REQUESTS_PREFIX + name);
    }

    private static boolean isNative(String name) {
        return !name.contains("/") || isPrefixedNative(name);
    }

    private static boolean isPrefixedNative(String name) {
        return name.contains(DEFAULT_NAMESPACE_PREFIX);
    }
}
