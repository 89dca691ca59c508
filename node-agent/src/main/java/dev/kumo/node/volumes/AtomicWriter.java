package dev.kumo.node.volumes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a volume's files so that a container never sees half of an update, as the kubelet's {@code AtomicWriter}:
 * the files go into a fresh hidden directory {@code ..<timestamp>}, the symlink {@code ..data} is switched to it
 * with one rename, and each visible entry is a relative symlink {@code name -> ..data/name}. An unchanged payload
 * writes nothing. Relative links keep working inside the container, where the volume sits at another path.
 */
public final class AtomicWriter {
    static final String DATA_DIR = "..data";
    private static final String DATA_DIR_TMP = "..data_tmp";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Clock clock;

    public AtomicWriter(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Makes the volume hold exactly {@code payload} (relative path → file). Paths must be relative, without
     * {@code ..} elements and not start with {@code ..} (the kubelet's {@code validatePayload}).
     *
     * @return whether anything changed
     */
    public boolean write(Map<String, FileProjection> payload) throws IOException {
        for (String path : payload.keySet()) {
            validate(path);
        }
        Files.createDirectories(directory);
        Path data = directory.resolve(DATA_DIR);
        Path oldVersion = Files.isSymbolicLink(data) ? directory.resolve(Files.readSymbolicLink(data)) : null;
        if (oldVersion != null && current(oldVersion).equals(payload)) {
            return false;
        }
        Path version = newVersionDirectory();
        for (Map.Entry<String, FileProjection> file : payload.entrySet()) {
            Path target = version.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue().data());
            Files.setPosixFilePermissions(target, permissions(file.getValue().mode()));
        }
        Path tmp = directory.resolve(DATA_DIR_TMP);
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Set<String> visible = new HashSet<>();
        for (String path : payload.keySet()) {
            visible.add(Path.of(path).getName(0).toString());
        }
        for (String name : visible) {
            Path link = directory.resolve(name);
            try {
                Files.createSymbolicLink(link, Path.of(DATA_DIR, name));
            } catch (FileAlreadyExistsException e) {
                // the link points into ..data already: nothing to change
            }
        }
        removeStaleEntries(visible, version.getFileName().toString());
        return true;
    }

    private Path newVersionDirectory() throws IOException {
        Path version = directory.resolve(".." + STAMP.format(clock.instant()));
        while (Files.exists(version, LinkOption.NOFOLLOW_LINKS)) {
            version = directory.resolve(version.getFileName() + "_");
        }
        Files.createDirectory(version);
        Files.setPosixFilePermissions(version, PosixFilePermissions.fromString("rwxr-xr-x"));
        return version;
    }

    /** Visible links that the payload no longer has, and every version directory but the current one. */
    private void removeStaleEntries(Set<String> visible, String currentVersion) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.equals(DATA_DIR) || name.equals(currentVersion)) {
                    continue;
                }
                if (name.startsWith("..")) {
                    deleteRecursively(entry);
                } else if (!visible.contains(name) && Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }

    private static Map<String, FileProjection> current(Path version) throws IOException {
        Map<String, FileProjection> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(version)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(version.relativize(file).toString(), new FileProjection(Files.readAllBytes(file),
                        mode(Files.getPosixFilePermissions(file))));
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        return files;
    }

    static void validate(String path) throws IOException {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("..")) {
            throw new IOException("invalid path " + path + ": must be relative and may not start with '..'");
        }
        for (Path element : Path.of(path)) {
            if (element.toString().equals("..")) {
                throw new IOException("invalid path " + path + ": must not contain '..'");
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder bits = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            bits.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(bits.toString());
    }

    static int mode(Set<PosixFilePermission> permissions) {
        String bits = PosixFilePermissions.toString(permissions);
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            mode = (mode << 1) | (bits.charAt(i) == '-' ? 0 : 1);
        }
        return mode;
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
