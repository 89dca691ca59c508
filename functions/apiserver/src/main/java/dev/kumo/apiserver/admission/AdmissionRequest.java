package dev.kumo.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.resources.ResourceDefinition;

/**
 * One write as admission sees it (Kubernetes' {@code admission.Attributes}): the operation, the resource and
 * subresource, the object as it will be stored (mutating plugins change it in place) and, for updates and
 * deletes, the stored one, and the user who asks.
 *
 * @param object    the new object; null on delete
 * @param oldObject the stored object; null on create
 */
public record AdmissionRequest(Operation operation, ResourceDefinition resource, String namespace, String name,
                               String subresource, ObjectNode object, ObjectNode oldObject, UserInfo user,
                               boolean dryRun) {
    public enum Operation { CREATE, UPDATE, DELETE }

    public AdmissionRequest {
        subresource = subresource == null ? "" : subresource;
    }

    public boolean is(String group, String plural) {
        return resource.group().equals(group) && resource.plural().equals(plural);
    }
}
