package dev.kumo.node.volumes;

import java.nio.file.Path;

/**
 * A pod's volume as set up on the node: where it is, and whether it must be mounted read-only whatever the
 * container's {@code volumeMounts} say (API-backed volumes are, since Kubernetes 1.10).
 */
public record MountedVolume(Path hostPath, boolean alwaysReadOnly) {
}
