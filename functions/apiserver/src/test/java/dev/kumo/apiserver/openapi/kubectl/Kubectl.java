package dev.kumo.apiserver.openapi.kubectl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One real kubectl binary pointed at a server, each run with a fresh cache so every run asks the server. */
public final class Kubectl {
    /** Where the machine image has the kubectl builds; {@code -Dkumo.kubectl.dir} overrides. */
    public static final Path DIRECTORY = Path.of(System.getProperty("kumo.kubectl.dir", "/usr/lib/google-cloud-sdk/bin"));

    public record Result(int exitCode, String output) {
    }

    private final Path binary;
    private final Path workDirectory;
    private final Path kubeconfig;

    public Kubectl(String version, String serverUrl, Path workDirectory) throws IOException {
        this.binary = DIRECTORY.resolve("kubectl." + version);
        this.workDirectory = workDirectory;
        this.kubeconfig = workDirectory.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster: {server: "%s"}
                contexts:
                - name: test
                  context: {cluster: test, user: test, namespace: default}
                current-context: test
                users:
                - name: test
                  user: {}
                """.formatted(serverUrl));
    }

    public boolean installed() {
        return Files.isExecutable(binary);
    }

    public Result run(String... args) throws IOException, InterruptedException {
        Path cache = Files.createTempDirectory(workDirectory, "cache");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cache.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl did not finish within 60s: " + command);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
