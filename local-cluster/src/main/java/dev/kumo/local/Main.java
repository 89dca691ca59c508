package dev.kumo.local;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./kumo up}: starts the embedded local cluster and runs until SIGTERM.
 * Arguments: {@code --home DIR} (required), {@code --ephemeral}, {@code --listen HOST:PORT} (127.0.0.1:6443),
 * {@code --nodes N} (1 by default; 0 for none), {@code --runtime cri|process|simulated|auto} (the nodes' runtime,
 * auto by default: cri where this host can run it, else process; see {@link NodeRuntimeChoice}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        boolean ephemeral = false;
        String listen = "127.0.0.1:6443";
        int nodes = 1;
        String runtime = NodeRuntimeChoice.AUTO;
        NodeNetwork network = NodeNetwork.LOCAL;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(value(args, ++i, "--home"));
                case "--ephemeral" -> ephemeral = true;
                case "--listen" -> listen = value(args, ++i, "--listen");
                case "--nodes" -> nodes = count(value(args, ++i, "--nodes"));
                case "--runtime" -> runtime = value(args, ++i, "--runtime");
                // tests run real nodes beside a ./kumo up: other interface names and addresses
                case "--node-network" -> network = NodeNetwork.parse(value(args, ++i, "--node-network"));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (home == null) {
            usage("--home is required");
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            usage("--listen must be HOST:PORT");
        }
        InetSocketAddress address = new InetSocketAddress(listen.substring(0, colon).replaceAll("[\\[\\]]", ""),
                Integer.parseInt(listen.substring(colon + 1)));
        long start = System.nanoTime();
        LocalCluster cluster;
        try {
            cluster = LocalCluster.start(new LocalCluster.Settings(home.toAbsolutePath(), ephemeral, address, true,
                    nodes, runtime, network), step -> System.out.println("kumo: " + step));
        } catch (Exception e) {
            // exit rather than return: DynamoDB Local leaves a thread that would keep the JVM alive
            e.printStackTrace();
            System.err.println("kumo: error: the cluster did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("kumo: stopping");
            cluster.close();
            stopped.countDown();
        }, "kumo-shutdown"));
        System.out.printf("kumo: API ready at %s (started in %.1f s)%n", cluster.server(),
                (System.nanoTime() - start) / 1e9);
        stopped.await();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static int count(String text) {
        try {
            int count = Integer.parseInt(text);
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("--nodes wants a number >= 0, not '" + text + "'");
        return 0;
    }

    private static void usage(String problem) {
        System.err.println("kumo: " + problem);
        System.err.println("usage: Main --home DIR [--ephemeral] [--listen HOST:PORT] [--nodes N]"
                + " [--runtime cri|process|simulated|auto]");
        System.exit(2);
    }
}
