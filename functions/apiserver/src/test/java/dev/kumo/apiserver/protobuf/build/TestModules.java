package dev.kumo.apiserver.protobuf.build;

import java.io.IOException;
import java.nio.file.Path;

/** The module archives the build downloaded; surefire passes their locations. */
final class TestModules {
    private TestModules() {
    }

    static KubernetesModules open() throws IOException {
        return KubernetesModules.open(archive("kumo.protobuf.api.archive"), archive("kumo.protobuf.apimachinery.archive"));
    }

    private static Path archive(String property) {
        String location = System.getProperty(property);
        if (location == null) {
            throw new IllegalStateException("system property " + property + " is not set (see the surefire configuration)");
        }
        return Path.of(location);
    }
}
