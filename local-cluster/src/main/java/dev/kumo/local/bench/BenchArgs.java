package dev.kumo.local.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/** What the benchmarks' mains share: their {@code --name value} arguments and how they end. */
final class BenchArgs {
    private BenchArgs() {
    }

    /**
     * The {@code --name value} pairs of {@code args} over {@code defaults} (the names a benchmark takes, with their
     * default values). Anything else is refused: a mistyped name must not silently run with the default.
     */
    static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            if (!defaults.containsKey(args[i]) || i + 1 == args.length) {
                throw new IllegalArgumentException("unknown argument or missing value: '" + args[i] + "' (takes "
                        + String.join(", ", new TreeSet<>(defaults.keySet())) + ", each with a value)");
            }
            values.put(args[i], args[i + 1]);
        }
        return values;
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
