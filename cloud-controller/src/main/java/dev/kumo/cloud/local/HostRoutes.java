package dev.kumo.cloud.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's routing table, through iproute2: {@code ip route replace <cidr> via <address>} and its deletion, in
 * the host's network namespace or a named one ({@code ip -n <netns>}, which is how the tests keep off the host's
 * table). Changing routes needs root.
 */
final class HostRoutes {
    private final String netns;

    /** @param netns a named network namespace, or "" for this process's own */
    HostRoutes(String netns) {
        this.netns = netns;
    }

    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // not Linux, or no /proc: no kernel routes either way
        }
    }

    /**
     * Whether {@code address} is on a network this namespace is attached to (the kernel would send to it without a
     * gateway, and it is not one of its own addresses): only such a node can be a route's next hop.
     */
    boolean directlyReachable(String address) throws IOException {
        Result result = ip("route", "get", address);
        if (result.exitCode() != 0) {
            return false;
        }
        String first = result.output().lines().findFirst().orElse("");
        return !first.startsWith("local ") && !first.contains(" via ") && !first.startsWith("unreachable");
    }

    void replace(String cidr, String via) throws IOException {
        Result result = ip("route", "replace", cidr, "via", via);
        if (result.exitCode() != 0) {
            throw new IOException("ip route replace " + cidr + " via " + via + " failed: " + result.output().strip());
        }
    }

    /** Deletes the route; one already gone is not an error. */
    void delete(String cidr, String via) throws IOException {
        Result result = ip("route", "del", cidr, "via", via);
        if (result.exitCode() != 0 && !result.output().contains("No such process")) {
            throw new IOException("ip route del " + cidr + " via " + via + " failed: " + result.output().strip());
        }
    }

    /** The table's routes as {@code ip route show} prints them. */
    List<String> show() throws IOException {
        Result result = ip("route", "show");
        if (result.exitCode() != 0) {
            throw new IOException("ip route show failed: " + result.output().strip());
        }
        return result.output().lines().map(String::strip).toList();
    }

    private record Result(int exitCode, String output) {
    }

    private Result ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        if (!netns.isEmpty()) {
            command.addAll(List.of("-n", netns));
        }
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
