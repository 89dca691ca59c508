package dev.kumo.apiserver.openapi.build;

import java.io.IOException;
import java.nio.file.Path;

/** The Kubernetes archive the build downloaded; surefire passes its location. */
final class TestArchive {
    private TestArchive() {
    }

    static KubernetesSpecArchive open() throws IOException {
        String location = System.getProperty("kumo.openapi.archive");
        if (location == null) {
            throw new IllegalStateException("system property kumo.openapi.archive is not set (see the surefire configuration)");
        }
        return KubernetesSpecArchive.open(Path.of(location));
    }
}
