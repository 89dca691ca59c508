package dev.kumo.apimachinery.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The PEM CA bundle that clients inside the cluster should trust for the API (kube-controller-manager's
 * {@code --root-ca-file}), from a function's environment: the API server publishes it as ConfigMap
 * {@code kube-root-ca.crt} when a namespace is created, the serviceaccount loop keeps it there.
 */
public final class RootCaBundle {
    /** PEM file of the CA bundle (locally: the cluster's own CA). */
    public static final String ENV_FILE = "KUMO_ROOT_CA_FILE";
    /**
     * Instead of a file: the JVM's trusted roots whose subject contains this text (in AWS "CN=Amazon Root CA",
     * the roots of API Gateway's certificates).
     */
    public static final String ENV_FROM_JVM = "KUMO_ROOT_CA_FROM_JVM_TRUST";

    private RootCaBundle() {
    }

    /** The bundle the environment names; empty when it names none (then no ConfigMap is published). */
    public static String fromEnvironment(Map<String, String> env) {
        String file = env.getOrDefault(ENV_FILE, "");
        String jvmRoots = env.getOrDefault(ENV_FROM_JVM, "");
        if (file.isEmpty()) {
            return jvmRoots.isEmpty() ? "" : TrustedRoots.pemBundle(jvmRoots);
        }
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the root CA bundle " + file + " (" + ENV_FILE + ")", e);
        }
    }
}
