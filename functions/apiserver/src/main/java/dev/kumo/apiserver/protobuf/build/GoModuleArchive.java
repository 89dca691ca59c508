package dev.kumo.apiserver.protobuf.build;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Go module archive as the module proxy serves it: every entry is {@code <module>@<version>/<path>}. Files are
 * named here by their Go import path, e.g. {@code k8s.io/api/core/v1/types.go}.
 */
final class GoModuleArchive implements Closeable {
    private final ZipFile zip;
    private final String module;
    private final String entryPrefix;

    private GoModuleArchive(ZipFile zip, String module, String entryPrefix) {
        this.zip = zip;
        this.module = module;
        this.entryPrefix = entryPrefix;
    }

    static GoModuleArchive open(Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException("no Go module archive at " + archive
                    + ": the build downloads it (execution 'kubernetes-api-module' and the like); run it once with network access");
        }
        ZipFile zip = new ZipFile(archive.toFile());
        String first = zip.stream().map(ZipEntry::getName).findFirst().orElse("");
        int at = first.indexOf('@');
        int slash = first.indexOf('/', Math.max(at, 0));
        if (at < 0 || slash < 0) {
            zip.close();
            throw new IOException(archive + " is no Go module archive: its first entry is \"" + first + "\"");
        }
        return new GoModuleArchive(zip, first.substring(0, at), first.substring(0, slash + 1));
    }

    /** The module path, e.g. {@code k8s.io/api}. */
    String module() {
        return module;
    }

    boolean contains(String importPath) {
        return importPath.equals(module) || importPath.startsWith(module + "/");
    }

    /** The files directly in a package directory, by import path, whose names end with {@code suffix}. */
    List<String> files(String packagePath, String suffix) {
        String directory = entryPrefix + packagePath.substring(module.length()).replaceFirst("^/", "") + "/";
        return zip.stream()
                .map(ZipEntry::getName)
                .filter(name -> name.startsWith(directory) && name.indexOf('/', directory.length()) < 0)
                .filter(name -> name.endsWith(suffix))
                .map(this::importPath)
                .sorted()
                .toList();
    }

    /** Every file whose name ends with {@code suffix}, by import path. */
    List<String> files(String suffix) {
        return zip.stream().map(ZipEntry::getName).filter(name -> name.endsWith(suffix)).map(this::importPath).sorted().toList();
    }

    String read(String importPath) throws IOException {
        ZipEntry entry = zip.getEntry(entryPrefix + importPath.substring(module.length() + 1));
        if (entry == null) {
            throw new IOException("the " + module + " archive has no " + importPath);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String importPath(String entryName) {
        return module + "/" + entryName.substring(entryPrefix.length());
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
