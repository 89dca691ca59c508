package dev.kumo.cloud.local;

import dev.kumo.cloud.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernel routes in a network namespace of the test's own (so the host's table is never touched): a node address on
 * the namespace's network gets {@code ip route replace <podCIDR> via <address>}, one elsewhere is only recorded.
 * Needs root and iproute2: skipped without them, failed under {@code CI=true}.
 */
class LocalRoutesKernelTest {
    @TempDir
    Path home;

    private final String netns = "kumo-lrt-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void namespace() throws Exception {
        if (!HostRoutes.runningAsRoot()) {
            String message = "kernel routes need root";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        run("ip", "netns", "add", netns);
        run("ip", "-n", netns, "link", "add", "nodes0", "type", "veth", "peer", "name", "nodes1");
        run("ip", "-n", netns, "link", "set", "nodes1", "up");
        run("ip", "-n", netns, "addr", "add", "10.250.7.1/24", "dev", "nodes0");
        run("ip", "-n", netns, "link", "set", "nodes0", "up");
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (HostRoutes.runningAsRoot()) {
            run("ip", "netns", "del", netns);
        }
    }

    @Test
    void aNodeOnANetworkOfTheHostGetsAKernelRouteAndOthersAreRecordedOnly() throws Exception {
        LocalRoutes routes = new LocalRoutes(home.resolve("routes.json"), netns);
        HostRoutes table = new HostRoutes(netns);

        routes.create(new Route("node-1", "", "10.244.1.0/24", "10.250.7.2"));
        routes.create(new Route("node-2", "", "10.244.2.0/24", "172.30.0.9")); // behind a gateway: not a node here

        assertThat(table.show()).contains("10.244.1.0/24 via 10.250.7.2 dev nodes0");
        assertThat(table.show()).noneMatch(line -> line.startsWith("10.244.2.0/24"));
        assertThat(routes.list()).hasSize(2);

        routes.create(new Route("node-1", "", "10.244.1.0/24", "10.250.7.3")); // the node moved
        assertThat(table.show()).contains("10.244.1.0/24 via 10.250.7.3 dev nodes0");

        LocalRoutes restarted = new LocalRoutes(home.resolve("routes.json"), netns);
        restarted.delete(new Route("node-1", "", "10.244.1.0/24", "10.250.7.3"));
        assertThat(table.show()).noneMatch(line -> line.startsWith("10.244.1.0/24"));
        assertThat(restarted.list()).extracting(Route::nodeName).containsExactly("node-2");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
