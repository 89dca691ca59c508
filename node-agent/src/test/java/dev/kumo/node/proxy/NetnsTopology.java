package dev.kumo.node.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node and its pods as network namespaces, as a CNI bridge would wire them: the node namespace has bridge
 * {@code kpbr0} with the pod CIDR's first address (the pods' gateway) and a veth with the node's address (its
 * InternalIP) to an "outside" namespace, its default gateway; each pod namespace has {@code eth0}, one end of a veth pair whose
 * other end is on the bridge in hairpin mode. Each namespace runs a {@link NetProbe} (pods also serve on it). {@link #close()} kills
 * the probes and deletes the namespaces; {@link #create} first removes any left over by an earlier run.
 */
final class NetnsTopology implements AutoCloseable {
    static final String PREFIX = "kumo-proxy-test-";
    /** A host outside the cluster on the node's network (the node's default gateway). */
    static final String OUTSIDE_ADDRESS = "172.31.0.254";
    private final String nodeNamespace;
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, Probe> probes = new LinkedHashMap<>();

    private NetnsTopology(String nodeNamespace) {
        this.nodeNamespace = nodeNamespace;
    }

    /** The node ({@code nodeAddress}/24, bridge on {@code gateway}/24) and its pods by name and address. */
    static NetnsTopology create(String nodeAddress, String gateway, Map<String, String> pods, int tcpPort, int udpPort)
            throws IOException, InterruptedException {
        removeLeftovers();
        NetnsTopology topology = new NetnsTopology(PREFIX + "node");
        try {
            String node = topology.nodeNamespace;
            topology.addNamespace(node);
            ip("-n", node, "link", "add", "kpbr0", "type", "bridge");
            ip("-n", node, "addr", "add", gateway + "/24", "dev", "kpbr0");
            ip("-n", node, "link", "set", "kpbr0", "up");
            String outside = PREFIX + "outside";
            topology.addNamespace(outside);
            ip("-n", node, "link", "add", "kpnode0", "type", "veth", "peer", "name", "eth0", "netns", outside);
            ip("-n", node, "addr", "add", nodeAddress + "/24", "dev", "kpnode0");
            ip("-n", node, "link", "set", "kpnode0", "up");
            ip("-n", outside, "addr", "add", OUTSIDE_ADDRESS + "/24", "dev", "eth0");
            ip("-n", outside, "link", "set", "eth0", "up");
            ip("-n", node, "route", "add", "default", "via", OUTSIDE_ADDRESS);
            int i = 0;
            for (Map.Entry<String, String> pod : pods.entrySet()) {
                String namespace = PREFIX + pod.getKey();
                String hostEnd = "kpveth" + i++;
                topology.addNamespace(namespace);
                ip("-n", node, "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", namespace);
                ip("-n", node, "link", "set", hostEnd, "master", "kpbr0", "up");
                // the CNI bridge plugin's hairpinMode: with br_netfilter, a pod's connection DNATed back to
                // itself leaves the bridge through the port it came in by
                ip("-n", node, "link", "set", hostEnd, "type", "bridge_slave", "hairpin", "on");
                ip("-n", namespace, "addr", "add", pod.getValue() + "/24", "dev", "eth0");
                ip("-n", namespace, "link", "set", "eth0", "up");
                ip("-n", namespace, "route", "add", "default", "via", gateway);
            }
            topology.probes.put("node", Probe.start(node, List.of()));
            topology.probes.put("outside", Probe.start(outside, List.of()));
            for (String pod : pods.keySet()) {
                topology.probes.put(pod, Probe.start(PREFIX + pod,
                        List.of(pod, Integer.toString(tcpPort), Integer.toString(udpPort))));
            }
            return topology;
        } catch (IOException | InterruptedException | RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    String nodeNamespace() {
        return nodeNamespace;
    }

    /** Runs a probe from the node ("node"), the outside ("outside") or a pod: {@code ok <name> <client address>} or {@code error ...}. */
    String probe(String from, String protocol, String ip, int port) throws IOException {
        return probes.get(from).probe(protocol + " " + ip + " " + port);
    }

    private void addNamespace(String namespace) throws IOException, InterruptedException {
        ip("netns", "add", namespace);
        namespaces.add(namespace);
        ip("-n", namespace, "link", "set", "lo", "up");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Probe probe : probes.values()) {
            probe.close();
        }
        probes.clear();
        for (String namespace : namespaces.reversed()) {
            ip("netns", "delete", namespace);
        }
        namespaces.clear();
    }

    private static void removeLeftovers() throws IOException, InterruptedException {
        Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String output = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor();
        for (String line : output.split("\n")) {
            String name = line.split(" ")[0];
            if (name.startsWith(PREFIX)) {
                // a probe of a killed run sees its stdin close and exits; its namespace goes with it
                ip("netns", "delete", name);
            }
        }
    }

    static String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    /** A {@link NetProbe} process in a namespace, driven through its stdin and stdout. */
    private record Probe(Process process, PrintStream commands, BufferedReader results) implements AutoCloseable {
        static Probe start(String namespace, List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), NetProbe.class.getName()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Probe probe = new Probe(process, new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8),
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
            String ready = probe.results.readLine();
            if (!"ready".equals(ready)) {
                probe.close();
                throw new IOException("the probe in " + namespace + " did not start: " + ready);
            }
            return probe;
        }

        String probe(String command) throws IOException {
            commands.println(command);
            String result = results.readLine();
            if (result == null) {
                throw new IOException("the probe ended");
            }
            return result;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
