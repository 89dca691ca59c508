package dev.kumo.local.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local cluster's static credentials: the admin's bearer token and one token per control-plane component, each
 * kept across restarts so that existing kubeconfigs keep working, and the token file the API server checks them
 * against, in kube-apiserver's {@code --token-auth-file} format. All files are readable by their owner only.
 *
 * <p>The components get identities of their own, as kubeadm gives kube-scheduler and kube-controller-manager their
 * own kubeconfigs: the default RBAC policy grants each only what it needs, never the admin's rights.
 */
public final class LocalCredentials {
    static final String ADMIN_USER = "kumo-admin";

    /** A control-plane component: its user name, as the default RBAC bindings name it, and its groups. */
    public record Component(String fileName, String user) {
    }

    public static final List<Component> COMPONENTS = List.of(
            new Component("kube-scheduler", "system:kube-scheduler"),
            new Component("kube-controller-manager", "system:kube-controller-manager"),
            new Component("cloud-controller", "system:kumo:cloud-controller"));

    private final Path tokenFile;
    private final String adminToken;
    private final Map<Component, String> componentTokens;

    private LocalCredentials(Path tokenFile, String adminToken, Map<Component, String> componentTokens) {
        this.tokenFile = tokenFile;
        this.adminToken = adminToken;
        this.componentTokens = Map.copyOf(componentTokens);
    }

    public static LocalCredentials loadOrCreate(Path directory) throws IOException {
        Files.createDirectories(directory);
        String admin = loadOrCreateToken(directory.resolve("admin.token"));
        StringBuilder lines = new StringBuilder("# token,user,uid,\"groups\" (kube-apiserver --token-auth-file format)\n")
                .append(admin).append(',').append(ADMIN_USER).append(',').append(ADMIN_USER)
                .append(",\"system:masters\"\n");
        Map<Component, String> components = new LinkedHashMap<>();
        for (Component component : COMPONENTS) {
            String token = loadOrCreateToken(tokenPath(directory, component));
            components.put(component, token);
            lines.append(token).append(',').append(component.user()).append(',').append(component.user())
                    .append(",\"\"\n");
        }
        Path tokens = directory.resolve("tokens.csv");
        OwnerOnlyFiles.write(tokens, lines.toString());
        return new LocalCredentials(tokens, admin, components);
    }

    public Path tokenFile() {
        return tokenFile;
    }

    public String adminToken() {
        return adminToken;
    }

    /** The file holding a component's bearer token (what its functions read, as {@code KUMO_API_TOKEN_FILE}). */
    public Path componentTokenFile(Component component) {
        return tokenPath(tokenFile.getParent(), component);
    }

    private static Path tokenPath(Path directory, Component component) {
        return directory.resolve(component.fileName() + ".token");
    }

    /** The component whose API user is {@code user} ({@code system:kube-scheduler}, ...). */
    public static Component componentOf(String user) {
        return COMPONENTS.stream().filter(c -> c.user().equals(user)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component runs as " + user));
    }

    /** Each control-plane component's bearer token. */
    public Map<Component, String> componentTokens() {
        return componentTokens;
    }

    private static String loadOrCreateToken(Path file) throws IOException {
        String token = Files.exists(file) ? Files.readString(file).trim() : "";
        if (token.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            token = HexFormat.of().formatHex(random);
            OwnerOnlyFiles.write(file, token + "\n");
        }
        return token;
    }
}
