package dev.kumo.local.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local cluster's static credentials: the admin's bearer token (kept across restarts so that existing
 * kubeconfigs keep working) and the token file the API server checks it against, in kube-apiserver's
 * {@code --token-auth-file} format. Both files are readable by their owner only.
 */
public final class LocalCredentials {
    static final String ADMIN_USER = "kumo-admin";

    private final Path tokenFile;
    private final String adminToken;

    private LocalCredentials(Path tokenFile, String adminToken) {
        this.tokenFile = tokenFile;
        this.adminToken = adminToken;
    }

    public static LocalCredentials loadOrCreate(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path adminFile = directory.resolve("admin.token");
        String admin = Files.exists(adminFile) ? Files.readString(adminFile).trim() : null;
        if (admin == null || admin.isEmpty()) {
            admin = newToken();
            writePrivate(adminFile, admin + "\n");
        }
        Path tokens = directory.resolve("tokens.csv");
        writePrivate(tokens, "# token,user,uid,\"groups\" (kube-apiserver --token-auth-file format)\n"
                + admin + "," + ADMIN_USER + "," + ADMIN_USER + ",\"system:masters\"\n");
        return new LocalCredentials(tokens, admin);
    }

    public Path tokenFile() {
        return tokenFile;
    }

    public String adminToken() {
        return adminToken;
    }

    static String newToken() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
