package dev.kumo.node.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A {@code hostPath} volume's checks and creation by its {@code type}, as the kubelet's hostPath plugin:
 * {@code DirectoryOrCreate} and {@code FileOrCreate} make what is missing (0755 directories, 0644 files),
 * {@code Directory}, {@code File}, {@code Socket}, {@code CharDevice} and {@code BlockDevice} require it, and no
 * type checks nothing.
 */
final class HostPathVolume {
    private HostPathVolume() {
    }

    static Path setUp(String path, String type) throws VolumeError {
        Path host = Path.of(path);
        if (!host.isAbsolute()) {
            throw new VolumeError("hostPath " + path + " is not an absolute path");
        }
        try {
            switch (type) {
                case "" -> {
                    return host;
                }
                case "DirectoryOrCreate" -> {
                    if (!Files.exists(host)) {
                        Files.createDirectories(host, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwxr-xr-x")));
                    }
                    require(Files.isDirectory(host), path, "a directory");
                }
                case "FileOrCreate" -> {
                    if (!Files.exists(host)) {
                        Files.createDirectories(host.getParent());
                        Files.createFile(host, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-r--r--")));
                    }
                    require(Files.isRegularFile(host), path, "a file");
                }
                case "Directory" -> require(Files.isDirectory(host), path, "a directory");
                case "File" -> require(Files.isRegularFile(host), path, "a file");
                case "Socket" -> require(isKind(host, "socket"), path, "a socket file");
                case "CharDevice" -> require(isKind(host, "char"), path, "a character device");
                case "BlockDevice" -> require(isKind(host, "block"), path, "a block device");
                default -> throw new VolumeError("hostPath type " + type + " is not one of DirectoryOrCreate, "
                        + "Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice");
            }
        } catch (IOException e) {
            throw new VolumeError("hostPath " + path + ": " + e.getMessage(), e);
        }
        return host;
    }

    private static void require(boolean holds, String path, String what) throws VolumeError {
        if (!holds) {
            throw new VolumeError("hostPath type check failed: " + path + " is not " + what);
        }
    }

    /** Sockets and devices are "other" files to Java; {@code unix:mode} tells them apart (S_IFMT bits). */
    private static boolean isKind(Path path, String kind) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int format = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
        return switch (kind) {
            case "socket" -> format == 0140000;
            case "char" -> format == 0020000;
            case "block" -> format == 0060000;
            default -> false;
        };
    }
}
