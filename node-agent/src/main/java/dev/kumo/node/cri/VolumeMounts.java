package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.node.cri.v1.Mount;
import dev.kumo.node.volumes.MountedVolume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's {@code volumeMounts} as CRI mounts, as the kubelet's {@code makeMounts}: the volume's host path (or
 * its {@code subPath}, made when missing and resolved so that a symlink cannot lead out of the volume), read-only
 * when the mount says so or the volume is API-backed.
 */
final class VolumeMounts {
    private VolumeMounts() {
    }

    static List<Mount> of(JsonNode container, Map<String, MountedVolume> volumes)
            throws ContainerConfigs.ConfigError {
        List<Mount> mounts = new ArrayList<>();
        String containerName = container.path("name").asText();
        for (JsonNode mount : container.path("volumeMounts")) {
            String name = mount.path("name").asText();
            MountedVolume volume = volumes.get(name);
            if (volume == null) {
                throw new ContainerConfigs.ConfigError("cannot find volume \"" + name + "\" to mount into container \""
                        + containerName + "\"");
            }
            if (!mount.path("subPathExpr").asText("").isEmpty()) {
                throw new ContainerConfigs.ConfigError("volumeMount " + name
                        + ": subPathExpr is not supported by kumo's node agent yet");
            }
            Path hostPath = volume.hostPath();
            String subPath = mount.path("subPath").asText("");
            if (!subPath.isEmpty()) {
                hostPath = subPath(volume, subPath, name);
            }
            mounts.add(Mount.newBuilder().setContainerPath(mount.path("mountPath").asText())
                    .setHostPath(hostPath.toString())
                    .setReadonly(mount.path("readOnly").asBoolean(false) || volume.alwaysReadOnly()).build());
        }
        return mounts;
    }

    private static Path subPath(MountedVolume volume, String subPath, String name)
            throws ContainerConfigs.ConfigError {
        Path relative = Path.of(subPath);
        if (relative.isAbsolute() || subPath.startsWith("..") || subPath.contains("/../")
                || subPath.endsWith("/..")) {
            throw new ContainerConfigs.ConfigError("volumeMount " + name + ": subPath " + subPath
                    + " must be a relative path without '..'");
        }
        try {
            Path base = volume.hostPath().toRealPath();
            Path target = volume.hostPath().resolve(relative);
            if (!Files.exists(target) && !volume.alwaysReadOnly()) {
                Files.createDirectories(target); // the kubelet makes a missing subPath as a directory
            }
            Path real = target.toRealPath();
            if (!real.startsWith(base)) {
                throw new ContainerConfigs.ConfigError("volumeMount " + name + ": subPath " + subPath
                        + " leads out of the volume (to " + real + ")");
            }
            return real;
        } catch (IOException e) {
            throw new ContainerConfigs.ConfigError("volumeMount " + name + ": subPath " + subPath + ": " + e);
        }
    }
}
