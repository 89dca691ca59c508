package dev.kumo.apiserver.registry;

/**
 * A delete's options (Kubernetes' {@code DeleteOptions}).
 *
 * @param propagationPolicy   Orphan, Background or Foreground; null for the resource's default
 * @param gracePeriodSeconds  null for the object's default
 * @param preconditionUid     the delete happens only if the object still has this uid
 * @param preconditionVersion the delete happens only if the object is still at this resourceVersion
 */
public record DeleteOptions(String propagationPolicy, Long gracePeriodSeconds, String preconditionUid,
                            String preconditionVersion, boolean dryRun) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);
}
