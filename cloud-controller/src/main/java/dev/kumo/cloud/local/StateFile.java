package dev.kumo.cloud.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The local provider's records under the cluster home, written whole through a temporary file and a rename, so
 * that a crash leaves the old file or the new one, never half of one.
 */
final class StateFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StateFile() {
    }

    static void write(Path file, JsonNode content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), content);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
