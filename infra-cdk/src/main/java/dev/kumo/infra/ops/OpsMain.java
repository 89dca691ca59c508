package dev.kumo.infra.ops;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The kumo script's AWS commands that need an API call ({@code kumo kubeconfig --aws}, {@code backup --aws},
 * {@code restore --aws}, and the caller's identity {@code deploy} maps to the cluster's admin):
 * {@code java @infra-cdk/target/ops.args dev.kumo.infra.ops.OpsMain <command> [options]}. Exit codes: 0 done,
 * 1 failed (the message says why), 2 wrong usage.
 */
public final class OpsMain {
    private OpsMain() {
    }

    /** One command: it parses its own options and prints what it did. */
    interface Command {
        String usage();

        void run(OpsArgs args, Map<String, String> env, SdkHttpClient http, PrintStream out) throws IOException;

        java.util.Set<String> options();
    }

    static final Map<String, Command> COMMANDS = Map.of(
            "kubeconfig", new KubeconfigCommand(),
            "caller-arn", new CallerArnCommand(),
            "backup", new BackupCommand(),
            "restore", new RestoreCommand(),
            "node-token", new NodeTokenCommand());

    public static void main(String[] args) {
        try (SdkHttpClient http = UrlConnectionHttpClient.create()) {
            System.exit(run(Arrays.asList(args), System.getenv(), http, System.out, System.err));
        }
    }

    static int run(List<String> args, Map<String, String> env, SdkHttpClient http, PrintStream out, PrintStream err) {
        Command command = args.isEmpty() ? null : COMMANDS.get(args.getFirst());
        if (command == null) {
            err.println("kumo: unknown AWS command " + (args.isEmpty() ? "(none)" : "'" + args.getFirst() + "'")
                    + "; one of " + COMMANDS.keySet());
            return 2;
        }
        OpsArgs options;
        try {
            options = new OpsArgs(args.subList(1, args.size()), command.options());
        } catch (IllegalArgumentException e) {
            err.println("kumo " + args.getFirst() + ": " + e.getMessage());
            err.println("usage: " + command.usage());
            return 2;
        }
        try {
            command.run(options, env, http, out);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("kumo " + args.getFirst() + ": " + e.getMessage());
            err.println("usage: " + command.usage());
            return 2;
        } catch (IOException | SdkException e) {
            err.println("kumo: error: " + args.getFirst() + ": " + e.getMessage());
            return 1;
        }
    }
}
