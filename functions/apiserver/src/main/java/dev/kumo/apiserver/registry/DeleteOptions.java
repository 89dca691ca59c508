package dev.kumo.apiserver.registry;

import dev.kumo.apiserver.auth.UserInfo;

/**
 * A delete's options (Kubernetes' {@code DeleteOptions}).
 *
 * @param propagationPolicy   Orphan, Background or Foreground; null for the resource's default
 * @param gracePeriodSeconds  null for the object's default
 * @param preconditionUid     the delete happens only if the object still has this uid
 * @param preconditionVersion the delete happens only if the object is still at this resourceVersion
 * @param user                who asks, for admission
 */
public record DeleteOptions(String propagationPolicy, Long gracePeriodSeconds, String preconditionUid,
                            String preconditionVersion, boolean dryRun, UserInfo user) {

    /** A delete the API server makes on its own behalf, with the resource's defaults. */
    public static DeleteOptions system() {
        return new DeleteOptions(null, null, null, null, false, UserInfo.API_SERVER);
    }
}
