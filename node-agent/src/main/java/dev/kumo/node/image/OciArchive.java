package dev.kumo.node.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout as one tar archive ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}), which
 * {@code ctr images import} and {@code ./kumo image load} take: single-layer linux images, each named in the index
 * by {@code io.containerd.image.name} (the full reference, which containerd uses) and
 * {@code org.opencontainers.image.ref.name} (the tag, for other tools).
 */
public final class OciArchive {
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One image: its reference, its (uncompressed) layer, and what it runs by default. */
    public record Image(String reference, byte[] layer, List<String> entrypoint, List<String> cmd) {
    }

    private final Map<String, byte[]> blobs = new LinkedHashMap<>();
    private final List<ObjectNode> manifests = new ArrayList<>();
    private final String architecture;

    /** @param architecture Go's name of the images' architecture (amd64, arm64) */
    public OciArchive(String architecture) {
        this.architecture = architecture;
    }

    public OciArchive add(Image image) {
        String layerDigest = blob(image.layer());
        ObjectNode config = MAPPER.createObjectNode().put("architecture", architecture).put("os", "linux");
        ObjectNode runs = config.putObject("config");
        runs.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (!image.entrypoint().isEmpty()) {
            image.entrypoint().forEach(runs.putArray("Entrypoint")::add);
        }
        if (!image.cmd().isEmpty()) {
            image.cmd().forEach(runs.putArray("Cmd")::add);
        }
        runs.put("WorkingDir", "/");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add(layerDigest); // uncompressed: the layer's digest is its diff id
        byte[] configBytes = json(config);
        String configDigest = blob(configBytes);

        ObjectNode manifest = MAPPER.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST_TYPE);
        descriptor(manifest.putObject("config"), CONFIG_TYPE, configDigest, configBytes.length);
        descriptor(manifest.putArray("layers").addObject(), LAYER_TYPE, layerDigest, image.layer().length);
        byte[] manifestBytes = json(manifest);
        String manifestDigest = blob(manifestBytes);

        ObjectNode entry = MAPPER.createObjectNode();
        descriptor(entry, MANIFEST_TYPE, manifestDigest, manifestBytes.length);
        String tag = image.reference().substring(image.reference().lastIndexOf(':') + 1);
        entry.putObject("annotations").put("io.containerd.image.name", image.reference())
                .put("org.opencontainers.image.ref.name", tag);
        entry.putObject("platform").put("architecture", architecture).put("os", "linux");
        manifests.add(entry);
        return this;
    }

    /** Writes the archive to {@code path} (through a temporary file, so that a reader never sees half of it). */
    public void write(Path path) throws IOException {
        ObjectNode index = MAPPER.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode entries = index.putArray("manifests");
        manifests.forEach(entries::add);
        Files.createDirectories(path.toAbsolutePath().getParent());
        Path partial = path.resolveSibling(path.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial); TarWriter tar = new TarWriter(out, 0)) {
            tar.file("oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            tar.file("index.json", 0644, json(index));
            tar.directory("blobs", 0755);
            tar.directory("blobs/sha256", 0755);
            for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
                tar.file("blobs/sha256/" + blob.getKey().substring("sha256:".length()), 0644, blob.getValue());
            }
        }
        Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String blob(byte[] content) {
        String digest = "sha256:" + sha256(content);
        blobs.putIfAbsent(digest, content);
        return digest;
    }

    private static void descriptor(ObjectNode node, String mediaType, String digest, long size) {
        node.put("mediaType", mediaType).put("digest", digest).put("size", size);
    }

    private static byte[] json(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
