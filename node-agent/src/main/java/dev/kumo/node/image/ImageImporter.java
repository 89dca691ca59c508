package dev.kumo.node.image;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Imports an image archive (OCI layout or {@code docker save}) into a containerd's {@code k8s.io} namespace, the one
 * its CRI sees, with {@code ctr -n k8s.io -a <socket> images import}; containerd unpacks it for its snapshotter.
 */
public final class ImageImporter {
    private static final Logger LOG = LoggerFactory.getLogger(ImageImporter.class);
    private static final long TIMEOUT_SECONDS = 300;

    private ImageImporter() {
    }

    public static void importArchive(Path containerdSocket, Path archive) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        Process process = new ProcessBuilder("ctr", "-n", "k8s.io", "-a", containerdSocket.toString(),
                "images", "import", archive.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("ctr images import " + archive + " took longer than " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("ctr images import " + archive + " exited with " + process.exitValue() + ": "
                    + output);
        }
        LOG.atInfo().addKeyValue("archive", archive).addKeyValue("socket", containerdSocket)
                .addKeyValue("millis", (System.nanoTime() - begin) / 1_000_000).log("imported images: " + output);
    }
}
