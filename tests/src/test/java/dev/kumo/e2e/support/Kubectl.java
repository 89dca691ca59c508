package dev.kumo.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One real kubectl release, unchanged, against the cluster's kubeconfig. Each release keeps its own cache
 * directory (discovery and OpenAPI are fetched once per release and cluster, as they would be for a user).
 */
public final class Kubectl {
    /** Where the machine image has the kubectl builds; {@code -Dkumo.kubectl.dir} overrides. */
    public static final Path DIRECTORY = Path.of(System.getProperty("kumo.kubectl.dir",
            "/usr/lib/google-cloud-sdk/bin"));
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final String version;
    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDirectory;
    private final Path workDirectory;

    Kubectl(String version, Path kubeconfig, Path workDirectory) {
        this.version = version;
        this.binary = DIRECTORY.resolve("kubectl." + version);
        this.kubeconfig = kubeconfig;
        this.workDirectory = workDirectory;
        this.cacheDirectory = workDirectory.resolve("kubectl-" + version + "-cache");
    }

    /** kubectl of {@code version} for a cluster outside this JVM (its kubeconfig), working in {@code workDirectory}. */
    public static Kubectl of(String version, Path kubeconfig, Path workDirectory) {
        return new Kubectl(version, kubeconfig, workDirectory);
    }

    public String version() {
        return version;
    }

    /** This release with another kubeconfig (another user's credentials), sharing the discovery cache. */
    public Kubectl withKubeconfig(Path otherKubeconfig) {
        return new Kubectl(version, otherKubeconfig, workDirectory);
    }

    public boolean installed() {
        return Files.isExecutable(binary);
    }

    /** What one run printed and how it ended. */
    public record Result(List<String> command, int exitCode, String out, String err) {
        /** This result, or a failure showing the whole run if kubectl did not succeed. */
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl failed: " + this);
            }
            return this;
        }

        /** This result, or a failure showing the whole run if kubectl succeeded. */
        public Result failed() {
            if (exitCode == 0) {
                throw new AssertionError("kubectl should have failed: " + this);
            }
            return this;
        }

        /** The lines of standard output. */
        public List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return String.join(" ", command.subList(1, command.size())) + "\n  exit code: " + exitCode
                    + "\n  stdout: " + out + "\n  stderr: " + err;
        }
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs with {@code stdin} on standard input (for {@code -f -}). */
    public Result runWithInput(String stdin, String... args) {
        try (Running running = start(stdin, args)) {
            return running.awaitExit(RUN_TIMEOUT);
        }
    }

    /** Starts a long-running command ({@code get -w}, {@code wait}); its output lines can be awaited one by one. */
    public Running start(String... args) {
        return start(null, args);
    }

    private Running start(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDirectory.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile());
        builder.environment().remove("KUBECONFIG");
        builder.environment().put("HOME", workDirectory.toString()); // no ~/.kube of the machine's user
        try {
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            return new Running(command, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** A kubectl process still running: its standard output and error arrive line by line. */
    public static final class Running implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final Lines out;
        private final Lines err;

        private Running(List<String> command, Process process) {
            this.command = command;
            this.process = process;
            this.out = new Lines("stdout", process.getInputStream());
            this.err = new Lines("stderr", process.getErrorStream());
        }

        /** Consumes standard output up to and including the first line that matches; fails after {@code timeout}. */
        public String awaitLine(Predicate<String> matching, Duration timeout) {
            return out.await(matching, timeout, this);
        }

        /** The same for standard error (where {@code -v=6} logs each request). */
        public String awaitErrorLine(Predicate<String> matching, Duration timeout) {
            return err.await(matching, timeout, this);
        }

        /** The lines of standard output consumed by {@link #awaitLine} so far. */
        public List<String> seenLines() {
            return out.seen();
        }

        /** Waits for kubectl to exit by itself. */
        public Result awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl did not finish within " + timeout.toSeconds() + " s: "
                            + this);
                }
                return new Result(command, process.exitValue(), out.awaitAll(), err.awaitAll());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Stops kubectl if it still runs. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public String toString() {
            return String.join(" ", command.subList(1, command.size())) + "\n  stdout so far: " + out.text()
                    + "\n  stderr so far: " + err.text();
        }
    }

    /** One output stream of a process, read line by line as it comes. */
    private static final class Lines {
        private static final String END = new String("<end of stream>");

        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private final CountDownLatch done = new CountDownLatch(1);

        Lines(String name, InputStream stream) {
            Thread.ofVirtual().name("kubectl " + name).start(() -> read(stream));
        }

        private void read(InputStream stream) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (text) {
                        text.append(line).append('\n');
                    }
                    queue.add(line);
                }
            } catch (IOException ignored) {
                // the process was destroyed
            } finally {
                queue.add(END);
                done.countDown();
            }
        }

        String await(Predicate<String> matching, Duration timeout, Running running) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line;
                try {
                    line = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
                if (line == null) {
                    throw new AssertionError("no matching line within " + timeout.toMillis() + " ms: " + running);
                }
                if (line == END) {
                    queue.add(END);
                    throw new AssertionError("kubectl ended without a matching line: " + running);
                }
                seen.add(line);
                if (matching.test(line)) {
                    return line;
                }
            }
        }

        List<String> seen() {
            return List.copyOf(seen);
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        /** All the stream held, once the process closed it. */
        String awaitAll() throws InterruptedException {
            done.await();
            return text();
        }
    }
}
