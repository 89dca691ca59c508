package dev.kumo.apiserver.openapi.build;

import dev.kumo.apiserver.openapi.OpenApiResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The classpath resources the generator made, by resource name. */
record GeneratedResources(Map<String, byte[]> resources) {
    GeneratedResources {
        resources = Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    }

    /** Replaces everything under {@link OpenApiResources#ROOT} of {@code classes} with these resources. */
    void writeTo(Path classes) throws IOException {
        deleteRecursively(classes.resolve(OpenApiResources.ROOT));
        for (Map.Entry<String, byte[]> resource : resources.entrySet()) {
            Path file = classes.resolve(resource.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, resource.getValue());
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> files = Files.walk(directory)) {
            deepestFirst = files.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : deepestFirst) {
            Files.delete(path);
        }
    }
}
