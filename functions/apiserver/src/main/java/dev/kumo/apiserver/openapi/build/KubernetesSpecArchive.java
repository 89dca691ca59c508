package dev.kumo.apiserver.openapi.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The official OpenAPI documents inside the {@code k8s.io/kubernetes} Go module archive:
 * {@code k8s.io/kubernetes@<version>/api/openapi-spec/swagger.json} and {@code .../v3/<path>_openapi.json}
 * (the v3 path with {@code /} written {@code __}). Only the entries asked for are read.
 */
final class KubernetesSpecArchive implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZipFile zip;
    private final String specDirectory;

    private KubernetesSpecArchive(ZipFile zip, String specDirectory) {
        this.zip = zip;
        this.specDirectory = specDirectory;
    }

    static KubernetesSpecArchive open(Path archive) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException("no Kubernetes archive at " + archive
                    + ": the build downloads it (execution 'kubernetes-openapi-archive'); run it once with network access");
        }
        ZipFile zip = new ZipFile(archive.toFile());
        String specDirectory = zip.stream()
                .map(ZipEntry::getName)
                .filter(name -> name.matches("k8s\\.io/kubernetes@[^/]+/api/openapi-spec/swagger\\.json"))
                .findFirst()
                .map(name -> name.substring(0, name.length() - "swagger.json".length()))
                .orElse(null);
        if (specDirectory == null) {
            zip.close();
            throw new IOException(archive + " is no k8s.io/kubernetes module archive: it has no api/openapi-spec/swagger.json");
        }
        return new KubernetesSpecArchive(zip, specDirectory);
    }

    ObjectNode swagger() throws IOException {
        return read("swagger.json");
    }

    /** The v3 document of a group-version, by its path below {@code /openapi/v3/}, e.g. {@code apis/apps/v1}. */
    ObjectNode v3(String path) throws IOException {
        return read("v3/" + path.replace("/", "__") + "_openapi.json");
    }

    private ObjectNode read(String name) throws IOException {
        ZipEntry entry = zip.getEntry(specDirectory + name);
        if (entry == null) {
            throw new IOException("the Kubernetes archive has no " + specDirectory + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            JsonNode document = JSON.readTree(in);
            if (!(document instanceof ObjectNode object)) {
                throw new IOException(specDirectory + name + " is no JSON object");
            }
            return object;
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
