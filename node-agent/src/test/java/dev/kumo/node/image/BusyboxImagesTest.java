package dev.kumo.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline images' OCI archive, read back with a tar reader of the test's own. */
class BusyboxImagesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anOciLayoutWithBusyboxAndPauseSharingOneLayer() throws Exception {
        // Any executable that answers --list-full will do: a script stands in where busybox-static is missing.
        Path busybox = dir.resolve("busybox");
        Files.writeString(busybox, "#!/bin/sh\nprintf 'bin/sh\\nbin/busybox\\nusr/bin/wget\\nusr/sbin/httpd\\n'\n");
        busybox.toFile().setExecutable(true);
        Path archive = dir.resolve("images.tar");
        BusyboxImages.write(busybox, archive);

        Map<String, Entry> files = read(Files.newInputStream(archive));
        assertThat(new String(files.get("oci-layout").content(), StandardCharsets.UTF_8))
                .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        JsonNode index = MAPPER.readTree(files.get("index.json").content());
        assertThat(index.path("manifests")).hasSize(2);
        JsonNode busyboxEntry = index.path("manifests").get(0);
        assertThat(busyboxEntry.path("annotations").path("io.containerd.image.name").asText())
                .isEqualTo("kumo.local/busybox:latest");
        assertThat(busyboxEntry.path("annotations").path("org.opencontainers.image.ref.name").asText())
                .isEqualTo("latest");

        JsonNode manifest = MAPPER.readTree(blob(files, busyboxEntry.path("digest").asText()));
        JsonNode config = MAPPER.readTree(blob(files, manifest.path("config").path("digest").asText()));
        assertThat(config.path("config").path("Cmd").get(0).asText()).isEqualTo("sh");
        String layerDigest = manifest.path("layers").get(0).path("digest").asText();
        assertThat(config.path("rootfs").path("diff_ids").get(0).asText()).isEqualTo(layerDigest);
        assertThat("sha256:" + OciArchive.sha256(blob(files, layerDigest))).isEqualTo(layerDigest);

        JsonNode pauseManifest = MAPPER.readTree(blob(files, index.path("manifests").get(1).path("digest").asText()));
        assertThat(pauseManifest.path("layers").get(0).path("digest").asText()).isEqualTo(layerDigest);

        Map<String, Entry> layer = read(new ByteArrayInputStream(blob(files, layerDigest)));
        assertThat(layer.get("bin/busybox").type()).isEqualTo('0');
        assertThat(layer.get("bin/busybox").mode()).isEqualTo(0755);
        assertThat(layer.get("bin/sh").type()).isEqualTo('2');
        assertThat(layer.get("bin/sh").link()).isEqualTo("/bin/busybox");
        assertThat(layer.get("usr/sbin/httpd").link()).isEqualTo("/bin/busybox");
        assertThat(layer.get("tmp/").mode()).isEqualTo(01777);
        assertThat(new String(layer.get("etc/passwd").content(), StandardCharsets.UTF_8)).startsWith("root:x:0:0:");

        Path again = dir.resolve("again.tar");
        BusyboxImages.write(busybox, again);
        assertThat(Files.readAllBytes(again)).as("reproducible").isEqualTo(Files.readAllBytes(archive));
    }

    private static byte[] blob(Map<String, Entry> files, String digest) {
        return files.get("blobs/sha256/" + digest.substring("sha256:".length())).content();
    }

    private record Entry(char type, int mode, String link, byte[] content) {
    }

    /** A ustar reader: enough for what TarWriter writes, with its checksums checked. */
    private static Map<String, Entry> read(InputStream in) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512 || header[0] == 0) {
                return entries;
            }
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
            }
            assertThat(Long.parseLong(field(header, 148, 6), 8)).as("checksum").isEqualTo(sum);
            String prefix = field(header, 345, 155);
            String name = (prefix.isEmpty() ? "" : prefix + "/") + field(header, 0, 100);
            long size = Long.parseLong(field(header, 124, 11), 8);
            byte[] content = in.readNBytes((int) size);
            in.readNBytes((int) ((512 - size % 512) % 512));
            entries.put(name, new Entry((char) header[156], Integer.parseInt(field(header, 100, 7), 8),
                    field(header, 157, 100), content));
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }
}
