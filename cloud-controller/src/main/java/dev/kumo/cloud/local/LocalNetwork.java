package dev.kumo.cloud.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local provider keeps its load balancers and routes: {@value #ENV_DIRECTORY} (the local cluster sets it
 * to {@code $KUMO_HOME/network}), with {@code load-balancers.json} and {@code routes.json}. Every loop function of
 * the cluster's process gets the same instances, so listeners opened by one invocation are seen by the next.
 */
public final class LocalNetwork {
    public static final String ENV_DIRECTORY = "KUMO_LOCAL_NETWORK_DIR";

    private LocalNetwork() {
    }

    public static LocalLoadBalancers loadBalancers(Map<String, String> settings) {
        return LocalLoadBalancers.at(directory(settings).resolve("load-balancers.json"));
    }

    public static LocalRoutes routes(Map<String, String> settings) {
        return LocalRoutes.at(directory(settings).resolve("routes.json"));
    }

    /** Deletes what {@code directory} records (a new in-memory cluster starts with no load balancers or routes). */
    public static void forget(Path directory) throws java.io.IOException {
        java.nio.file.Files.deleteIfExists(directory.resolve("load-balancers.json"));
        java.nio.file.Files.deleteIfExists(directory.resolve("routes.json"));
    }

    private static Path directory(Map<String, String> settings) {
        String directory = settings.get(ENV_DIRECTORY);
        if (directory == null || directory.isEmpty()) {
            throw new IllegalStateException("the local cloud provider needs " + ENV_DIRECTORY);
        }
        return Path.of(directory);
    }
}
