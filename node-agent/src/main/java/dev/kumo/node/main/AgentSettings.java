package dev.kumo.node.main;

import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What the node agent of a machine is told, read from a properties file ({@code /etc/kumo/node-agent.conf} on EC2,
 * written by the instance's user data, see {@code node-agent/src/main/dist/}; {@code <home>/nodes/<node>/agent.conf}
 * for the local cluster's cri nodes, written by {@code AgentProcess}).
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
 * @param podBridge          the CNI bridge its pods join ({@code podBridge}, {@code kumo0} by default)
 * @param registration       the labels, taints and capacity the Node registers with
 * @param resolvConf         whose nameservers cluster DNS forwards other names to ({@code /etc/resolv.conf})
 * @param readyFile          a file written once the node has joined (the local cluster waits for it), or null
 */
public record AgentSettings(URI server, Path caFile, Path bootstrapTokenFile, String nodeName, String address,
                            String podCidr, String clusterCidr, Path criSocket, Path cniConfDir, Path stateDir,
                            boolean clusterDns, String podBridge, Registration registration, Path resolvConf,
                            Path readyFile) {
    public static final Path DEFAULT_FILE = Path.of("/etc/kumo/node-agent.conf");
    static final String DEFAULT_POD_BRIDGE = "kumo0";

    /**
     * What the Node registers with beyond what the machine says about itself.
     *
     * @param labels   the kubelet's {@code --node-labels} ({@code nodeLabels=k=v,k2=v2})
     * @param taints   the kubelet's {@code --register-with-taints} ({@code registerWithTaints=key=value:Effect,...})
     * @param capacity what the node reports instead of the host's resources ({@code capacity=cpu=2,memory=4Gi,
     *                 ephemeral-storage=20Gi,pods=110}), or null for the host's: a local instance of a smaller type
     * @param systemUuid the machine's identity ({@code systemUuid}, its machine id the same without dashes), or
     *                 null to read the host's: the local cluster's nodes share one host but are machines each
     */
    public record Registration(Map<String, String> labels, List<NodeConfig.Taint> taints, NodeCapacity capacity,
                               String systemUuid) {
        public static final Registration NONE = new Registration(Map.of(), List.of(), null, null);

        public Registration {
            labels = Map.copyOf(labels);
            taints = List.copyOf(taints);
        }
    }

    public static AgentSettings read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        String ca = p.getProperty("caFile", "").strip();
        String readyFile = p.getProperty("readyFile", "").strip();
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
                Boolean.parseBoolean(p.getProperty("clusterDns", "true").strip()),
                p.getProperty("podBridge", DEFAULT_POD_BRIDGE).strip(),
                new Registration(pairs(file, "nodeLabels", p.getProperty("nodeLabels", "")),
                        taints(file, p.getProperty("registerWithTaints", "")),
                        capacity(file, p.getProperty("capacity", "")),
                        emptyToNull(p.getProperty("systemUuid", ""))),
                Path.of(p.getProperty("resolvConf", "/etc/resolv.conf").strip()),
                readyFile.isEmpty() ? null : Path.of(readyFile));
    }

    /** Writes these settings where {@link #read} finds them again (replacing the file at once). */
    public void write(Path file) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server", server.toString());
        p.put("caFile", caFile == null ? "" : caFile.toString());
        p.put("bootstrapTokenFile", bootstrapTokenFile.toString());
        p.put("nodeName", nodeName);
        p.put("address", address);
        p.put("podCidr", podCidr);
        p.put("clusterCidr", clusterCidr);
        p.put("criSocket", criSocket.toString());
        p.put("cniConfDir", cniConfDir.toString());
        p.put("stateDir", stateDir.toString());
        p.put("clusterDns", Boolean.toString(clusterDns));
        p.put("podBridge", podBridge);
        p.put("nodeLabels", registration.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
        p.put("registerWithTaints", registration.taints().stream()
                .map(t -> t.key() + (t.value().isEmpty() ? "" : "=" + t.value()) + ":" + t.effect())
                .collect(Collectors.joining(",")));
        NodeCapacity capacity = registration.capacity();
        p.put("capacity", capacity == null ? "" : "cpu=" + capacity.cpu() + ",memory=" + capacity.memory()
                + ",ephemeral-storage=" + capacity.ephemeralStorage() + ",pods=" + capacity.pods());
        p.put("systemUuid", registration.systemUuid() == null ? "" : registration.systemUuid());
        p.put("resolvConf", resolvConf.toString());
        p.put("readyFile", readyFile == null ? "" : readyFile.toString());
        Properties properties = new Properties();
        properties.putAll(p);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (Writer out = Files.newBufferedWriter(partial)) {
            properties.store(out, "kumo node agent settings");
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, String> pairs(Path file, String key, String value) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : items(value)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(file + ": " + key + " takes name=value pairs, not \"" + pair
                        + "\"");
            }
            pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return pairs;
    }

    /** The kubelet's taint syntax: {@code key[=value]:Effect}. */
    private static List<NodeConfig.Taint> taints(Path file, String value) {
        List<NodeConfig.Taint> taints = new ArrayList<>();
        for (String taint : items(value)) {
            int colon = taint.lastIndexOf(':');
            if (colon <= 0 || colon == taint.length() - 1) {
                throw new IllegalArgumentException(file + ": registerWithTaints takes key[=value]:Effect, not \""
                        + taint + "\"");
            }
            String keyValue = taint.substring(0, colon);
            int equals = keyValue.indexOf('=');
            taints.add(new NodeConfig.Taint(equals < 0 ? keyValue : keyValue.substring(0, equals),
                    equals < 0 ? "" : keyValue.substring(equals + 1), taint.substring(colon + 1)));
        }
        return taints;
    }

    private static NodeCapacity capacity(Path file, String value) {
        if (value.isBlank()) {
            return null;
        }
        Map<String, String> resources = pairs(file, "capacity", value);
        for (String name : List.of("cpu", "memory", "ephemeral-storage", "pods")) {
            if (!resources.containsKey(name)) {
                throw new IllegalArgumentException(file + ": capacity names cpu, memory, ephemeral-storage and pods;"
                        + " \"" + value + "\" has no " + name);
            }
        }
        return new NodeCapacity(resources.get("cpu"), resources.get("memory"), resources.get("ephemeral-storage"),
                Integer.parseInt(resources.get("pods")));
    }

    private static String emptyToNull(String value) {
        return value.isBlank() ? null : value.strip();
    }

    private static List<String> items(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String required(Properties p, Path file, String key) {
        String value = p.getProperty(key, "").strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException(file + " sets no " + key);
        }
        return value;
    }
}
