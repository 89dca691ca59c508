package dev.kumo.apiserver.auth.authz;

/**
 * What a request asks to do, in the terms authorization speaks (Kubernetes' {@code RequestInfo} and authorizer
 * attributes): a verb on a resource (group, resource, subresource, namespace, name), or a verb on a non-resource
 * path such as {@code /healthz}.
 *
 * @param fieldSelector the list or watch's field selector as sent, for authorizers that limit what a list may see
 *                      (a node may list only the pods bound to it); empty otherwise
 */
public record RequestInfo(boolean resourceRequest, String path, String verb, String apiGroup, String apiVersion,
                          String namespace, String resource, String subresource, String name, String fieldSelector) {

    public RequestInfo {
        apiGroup = apiGroup == null ? "" : apiGroup;
        apiVersion = apiVersion == null ? "" : apiVersion;
        namespace = namespace == null ? "" : namespace;
        resource = resource == null ? "" : resource;
        subresource = subresource == null ? "" : subresource;
        name = name == null ? "" : name;
        fieldSelector = fieldSelector == null ? "" : fieldSelector;
    }

    public static RequestInfo resource(String verb, String apiGroup, String namespace, String resource,
                                       String subresource, String name) {
        return new RequestInfo(true, "", verb, apiGroup, "", namespace, resource, subresource, name, "");
    }

    public static RequestInfo nonResource(String verb, String path) {
        return new RequestInfo(false, path, verb, "", "", "", "", "", "", "");
    }

    /** Whether the verb only reads (get, list, watch), for audit and read-only rules. */
    public boolean readOnly() {
        return verb.equals("get") || verb.equals("list") || verb.equals("watch");
    }

    /** {@code resource/subresource}, as RBAC rules and messages name it. */
    public String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
