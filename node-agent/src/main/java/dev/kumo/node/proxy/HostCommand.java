package dev.kumo.node.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program of the host (nft, sysctl) in the proxier's network namespace: through {@code ip netns exec <ns>}
 * when one is configured, as is. A run that outlasts its timeout is killed.
 */
public final class HostCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a run gave: its exit code and its standard error (standard output is kept with it). */
    public record Result(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final String networkNamespace;

    public HostCommand(String networkNamespace) {
        this.networkNamespace = networkNamespace;
    }

    public String networkNamespace() {
        return networkNamespace;
    }

    /** Runs {@code argv} with {@code input} on its standard input. */
    public Result run(List<String> argv, String input) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (!networkNamespace.isEmpty()) {
            command.addAll(List.of("ip", "netns", "exec", networkNamespace));
        }
        command.addAll(argv);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                Thread::startVirtualThread);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the program may exit before reading its input (a bad option); its output says why
        }
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT.toSeconds()
                        + " s");
            }
        } catch (InterruptedException e) {
            // an nft transaction that was started must be over before anyone acts on what it did
            process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw e;
        }
        return new Result(process.exitValue(), new String(output.join(), StandardCharsets.UTF_8).strip());
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            return ("(reading the output failed: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
        }
    }
}
