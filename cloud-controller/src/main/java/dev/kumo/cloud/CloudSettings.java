package dev.kumo.cloud;

import dev.kumo.cloud.local.LocalInstances;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which cloud a loop function talks to, from its settings (the function's environment): {@value #ENV_PROVIDER} is
 * {@code local} (instances recorded under {@value LocalInstances#ENV_DIRECTORY} and booted by the local cluster).
 * Other providers add their case here.
 */
public final class CloudSettings {
    public static final String ENV_PROVIDER = "KUMO_CLOUD_PROVIDER";
    public static final String LOCAL = "local";

    private CloudSettings() {
    }

    public static Instances instances(Map<String, String> settings) {
        String provider = settings.getOrDefault(ENV_PROVIDER, "");
        return switch (provider) {
            case LOCAL -> {
                String directory = settings.get(LocalInstances.ENV_DIRECTORY);
                if (directory == null || directory.isEmpty()) {
                    throw new IllegalStateException("the local cloud provider needs " + LocalInstances.ENV_DIRECTORY);
                }
                yield new LocalInstances(Path.of(directory));
            }
            default -> throw new IllegalStateException("no cloud provider \"" + provider + "\" in this build ("
                    + ENV_PROVIDER + "); known: " + LOCAL);
        };
    }
}
