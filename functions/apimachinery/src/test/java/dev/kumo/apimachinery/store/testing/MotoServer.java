package dev.kumo.apimachinery.store.testing;

import dev.kumo.apimachinery.client.TrustedCa;
import org.junit.jupiter.api.Assumptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * moto, the AWS emulator, as a process on a free loopback port for one test class. {@link #allServices()} runs
 * {@code moto_server} (every service; requests are routed by their Authorization header, as the SDK's are);
 * {@link #singleService} runs one backend alone over HTTPS, which presigned requests need. Tests are skipped, with
 * the install command, when moto is not installed ({@code ./kumo test} installs it).
 */
public final class MotoServer implements AutoCloseable {
    private static final String INSTALL = "pip install 'moto[server]' (./kumo test installs it)";
    private static final long START_TIMEOUT_MILLIS = 60_000;

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path certificate;

    private MotoServer(Process process, int port, Path dir, Path certificate) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.certificate = certificate;
    }

    /** {@code moto_server -p <port>}, plain HTTP; skips the calling test when moto_server is not on PATH. */
    public static MotoServer allServices() {
        Assumptions.assumeTrue(onPath("moto_server"), "moto_server is not on PATH: " + INSTALL);
        Path dir = tempDir();
        int port = freePort();
        Process process = start(List.of("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port)), dir);
        return awaitListening(new MotoServer(process, port, dir, null));
    }

    /** One moto backend ({@code sts}, {@code kms}, ...) over HTTPS with a self-signed certificate for 127.0.0.1. */
    public static MotoServer singleService(String service) {
        Assumptions.assumeTrue(onPath("python3"), "python3 is not on PATH; moto needs it: " + INSTALL);
        Assumptions.assumeTrue(succeeds(List.of("python3", "-c", "import moto.server, cryptography, werkzeug")),
                "python3 cannot import moto's server: " + INSTALL);
        Path dir = tempDir();
        Path script = dir.resolve("moto_service.py");
        try (InputStream in = MotoServer.class.getResourceAsStream("moto_service.py")) {
            Files.copy(in, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        Path cert = dir.resolve("cert.pem");
        Process process = start(List.of("python3", script.toString(), service, Integer.toString(port), cert.toString(),
                dir.resolve("key.pem").toString()), dir);
        return awaitListening(new MotoServer(process, port, dir, cert));
    }

    public String endpoint() {
        return (certificate == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Trusts the HTTPS server's self-signed certificate (only for {@link #singleService}). */
    public SSLContext sslContext() {
        return TrustedCa.context(certificatePem());
    }

    /** Trust managers that accept the HTTPS server's certificate, for SDK clients. */
    public TrustManager[] trustManagers() {
        return TrustedCa.trustManagers(certificatePem());
    }

    private String certificatePem() {
        try {
            return Files.readString(certificate);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read moto's certificate " + certificate, e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MotoServer awaitListening(MotoServer server) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!server.process.isAlive()) {
                throw new IllegalStateException("moto exited with code " + server.process.exitValue()
                        + " before it listened; its output:\n" + server.output());
            }
            boolean ready = server.certificate == null || Files.exists(server.certificate);
            if (ready && accepts(server.port)) {
                return server;
            }
            sleep(100);
        }
        server.close();
        throw new IllegalStateException("moto did not listen on port " + server.port + " within "
                + START_TIMEOUT_MILLIS / 1000 + " s; its output:\n" + server.output());
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("moto.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static Process start(List<String> command, Path dir) {
        try {
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("moto.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("kumo-moto-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto", e);
        }
    }
}
