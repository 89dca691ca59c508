package dev.kumo.local;

import dev.kumo.local.pki.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Writes a kubeconfig of the local cluster: the API's address, its CA, and one user's bearer token. */
final class Kubeconfig {
    private Kubeconfig() {
    }

    static void write(Path path, String server, String caPem, String token) throws IOException {
        write(path, server, caPem, "kumo-admin", token);
    }

    static void write(Path path, String server, String caPem, String user, String token) throws IOException {
        String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kumo-local
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: kumo-local
                  context:
                    cluster: kumo-local
                    user: %s
                    namespace: default
                current-context: kumo-local
                """.formatted(server, ca, user, token, user);
        OwnerOnlyFiles.write(path, yaml);
    }
}
