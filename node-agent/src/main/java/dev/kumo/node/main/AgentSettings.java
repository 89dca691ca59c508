package dev.kumo.node.main;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the node agent of a real machine is told, read from a properties file ({@code /etc/kumo/node-agent.conf}
 * on EC2, written by the instance's user data; see {@code node-agent/src/main/dist/}).
 *
 * @param server             the API server's URL
 * @param caFile             the PEM bundle that signs the API's certificate, or null to trust the JVM's roots (API
 *                           Gateway's certificates are signed by Amazon's roots)
 * @param bootstrapTokenFile the file holding the bootstrap token ({@code <id>.<secret>}) the agent joins with
 * @param nodeName           the Node's name (on EC2 the instance's private DNS name, as cloud providers name nodes)
 * @param address            the node's InternalIP
 * @param podCidr            the pod CIDR the node asks for
 * @param clusterCidr        every pod CIDR of the cluster (the service proxy masquerades traffic from outside it)
 * @param criSocket          containerd's CRI socket
 * @param cniConfDir         where the agent writes the CNI configuration containerd reads
 * @param stateDir           the agent's own state (pod logs, sandboxes' files)
 * @param clusterDns         whether the agent serves cluster DNS on its address, port 53
 */
public record AgentSettings(URI server, Path caFile, Path bootstrapTokenFile, String nodeName, String address,
                            String podCidr, String clusterCidr, Path criSocket, Path cniConfDir, Path stateDir,
                            boolean clusterDns) {
    public static final Path DEFAULT_FILE = Path.of("/etc/kumo/node-agent.conf");

    public static AgentSettings read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        String ca = p.getProperty("caFile", "").strip();
        return new AgentSettings(
                URI.create(required(p, file, "server")),
                ca.isEmpty() ? null : Path.of(ca),
                Path.of(required(p, file, "bootstrapTokenFile")),
                required(p, file, "nodeName"),
                required(p, file, "address"),
                required(p, file, "podCidr"),
                required(p, file, "clusterCidr"),
                Path.of(p.getProperty("criSocket", "/run/containerd/containerd.sock").strip()),
                Path.of(p.getProperty("cniConfDir", "/etc/cni/net.d").strip()),
                Path.of(p.getProperty("stateDir", "/var/lib/kumo").strip()),
                Boolean.parseBoolean(p.getProperty("clusterDns", "true").strip()));
    }

    private static String required(Properties p, Path file, String key) {
        String value = p.getProperty(key, "").strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException(file + " sets no " + key);
        }
        return value;
    }
}
