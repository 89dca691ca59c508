package dev.kumo.local.bench;

/** What the benchmarks' mains share: their {@code --name value} arguments and how they end. */
final class BenchArgs {
    private BenchArgs() {
    }

    static String string(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static int integer(String[] args, String name, int fallback) {
        return Integer.parseInt(string(args, name, Integer.toString(fallback)));
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs a benchmark and exits: 0 when it ran, 1 when it failed. */
    static void exitAfter(Body body) {
        try {
            body.run();
            // DynamoDB Local and ElasticMQ leave non-daemon threads behind after they stop.
            System.exit(0);
        } catch (Exception e) {
            System.err.println("kumo bench: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
