package dev.kumo.apiserver.protobuf.build;

import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.SchemaLoader;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Parses the generated.proto files of Go packages, and those they import, with Wire's schema loader: a maintained
 * pure-JVM .proto parser, so the build needs no protoc binary for its platform.
 */
final class ProtoFiles {
    private ProtoFiles() {
    }

    static Schema load(KubernetesModules modules, List<String> goPackages) throws IOException {
        // Imports name files by Go import path while the archives add @version to the module directory,
        // so the files are laid out by import path first.
        Path root = Files.createTempDirectory("kumo-protos");
        try {
            modules.extractProtos(root);
            SchemaLoader loader = new SchemaLoader(FileSystems.getDefault());
            List<Location> sources = goPackages.stream()
                    .map(goPackage -> Location.Companion.get(root.toString(), goPackage + "/generated.proto"))
                    .toList();
            loader.initRoots(sources, List.of(Location.Companion.get(root.toString())));
            return loader.loadSchema();
        } finally {
            deleteRecursively(root);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        List<Path> deepestFirst;
        try (Stream<Path> files = Files.walk(directory)) {
            deepestFirst = files.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : deepestFirst) {
            Files.delete(path);
        }
    }
}
