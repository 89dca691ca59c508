package dev.kumo.infra.ops;

import dev.kumo.infra.controlplane.ControlPlaneStack;
import software.amazon.awssdk.http.SdkHttpClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * {@code kumo kubeconfig --aws}: reads the control plane stack's API endpoint and writes a {@link Kubeconfig} whose
 * user runs {@code kumo token}; the file is the user's only (0600), as kubectl's own.
 */
final class KubeconfigCommand implements OpsMain.Command {
    @Override
    public String usage() {
        return "kumo kubeconfig --aws [--cluster NAME] [--region R] [--output FILE]";
    }

    @Override
    public Set<String> options() {
        return Set.of("--cluster", "--region", "--output", "--kumo", "--profile");
    }

    @Override
    public void run(OpsArgs args, Map<String, String> env, SdkHttpClient http, PrintStream out) throws IOException {
        String cluster = args.get("--cluster", "kumo");
        String region = args.region(env);
        Path output = Path.of(args.required("--output"));
        String kumo = args.required("--kumo");
        String profile = args.get("--profile", env.get("AWS_PROFILE"));
        String stack = cluster + "-control-plane";
        Map<String, String> outputs = StackOutputs.of(AwsCall.withDefaultCredentials(http, region, env), stack);
        String server = StackOutputs.require(outputs, stack, ControlPlaneStack.OUTPUT_API_ENDPOINT);
        Kubeconfig kubeconfig = new Kubeconfig(cluster, server, region, kumo,
                profile == null || profile.isBlank() ? null : profile);
        write(output, kubeconfig.render());
        out.println("kumo: wrote " + output + " (cluster " + cluster + ", server " + server + ")");
        out.println("  try: export KUBECONFIG=" + output + "; kubectl get nodes");
    }

    static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".kubeconfig", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
