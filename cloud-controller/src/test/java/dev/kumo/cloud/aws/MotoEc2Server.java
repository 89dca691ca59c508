package dev.kumo.cloud.aws;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto's server (the AWS emulator from PyPI) on a free loopback port, as the EC2 and ELBv2 the aws provider's tests
 * call. The executable is {@code KUMO_MOTO_SERVER} when set, else {@code moto_server} on the PATH ({@code ./kumo test}
 * installs it). Without it the tests are skipped and say how to install it; under {@code CI=true} they fail, so that
 * a missing install step cannot pass as green. moto validates instance types here, as EC2 does.
 */
final class MotoEc2Server implements AutoCloseable {
    static final String ENV_EXECUTABLE = "KUMO_MOTO_SERVER";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int port;

    private MotoEc2Server(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static MotoEc2Server start() {
        Path executable = executable().orElse(null);
        if (executable == null) {
            String message = "moto's server is missing: set " + ENV_EXECUTABLE + " to a moto_server executable or put "
                    + "one on the PATH (python3 -m venv v && v/bin/pip install 'moto[server]'; ./kumo test does it)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        int port = freeLoopbackPort();
        try {
            Path log = Files.createTempFile("kumo-moto-ec2-", ".log");
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION", "true");
            MotoEc2Server server = new MotoEc2Server(builder.start(), log, port);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue()
                        + " before it listened:\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                pause();
            }
        }
        close();
        throw new IllegalStateException("moto_server did not listen on " + port + " within " + START_TIMEOUT + ":\n"
                + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Path> executable() {
        String configured = System.getenv(ENV_EXECUTABLE);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "moto_server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto_server", e);
        }
    }
}
