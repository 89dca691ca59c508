package dev.kumo.apiserver.protobuf.build;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The k8s.io/api and k8s.io/apimachinery module archives, read by Go import path. */
final class KubernetesModules implements Closeable {
    private final List<GoModuleArchive> archives;

    private KubernetesModules(List<GoModuleArchive> archives) {
        this.archives = List.copyOf(archives);
    }

    static KubernetesModules open(Path... archives) throws IOException {
        List<GoModuleArchive> opened = new ArrayList<>();
        try {
            for (Path archive : archives) {
                opened.add(GoModuleArchive.open(archive));
            }
        } catch (IOException e) {
            for (GoModuleArchive archive : opened) {
                try {
                    archive.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        return new KubernetesModules(opened);
    }

    /** The non-test Go files of a package. */
    List<String> goFiles(String packagePath) throws IOException {
        return archive(packagePath).files(packagePath, ".go").stream()
                .filter(file -> !file.endsWith("_test.go"))
                .toList();
    }

    String read(String importPath) throws IOException {
        return archive(importPath).read(importPath);
    }

    /** Copies every generated.proto below {@code root}, at its import path, so proto imports resolve there. */
    void extractProtos(Path root) throws IOException {
        for (GoModuleArchive archive : archives) {
            for (String file : archive.files("/generated.proto")) {
                Path target = root.resolve(file);
                Files.createDirectories(target.getParent());
                Files.writeString(target, archive.read(file));
            }
        }
    }

    private GoModuleArchive archive(String importPath) throws IOException {
        for (GoModuleArchive archive : archives) {
            if (archive.contains(importPath)) {
                return archive;
            }
        }
        throw new IOException("no module archive holds " + importPath);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (GoModuleArchive archive : archives) {
            try {
                archive.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
