package dev.kumo.apimachinery.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * An open watch: newline-delimited JSON events read one at a time by one thread. {@link #close()} from another
 * thread ends the connection; a reader blocked in {@link #next()} then gets an {@link IOException} (interrupting
 * it is the sure way to wake it, as the JDK's response stream waits on a queue).
 */
public final class WatchConnection implements AutoCloseable {
    private final InputStream body;
    private final BufferedReader lines;
    private final ObjectMapper mapper;

    WatchConnection(InputStream body, ObjectMapper mapper) {
        this.body = body;
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.mapper = mapper;
    }

    /** The next event, or null when the server ended the watch (its timeout, or a bounded host's deadline). */
    public ApiWatchEvent next() throws IOException {
        String line;
        do {
            line = lines.readLine();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());
        JsonNode event = mapper.readTree(line);
        if (!(event.path("object") instanceof ObjectNode object) || !event.path("type").isTextual()) {
            throw new IOException("not a watch event: " + abbreviate(line));
        }
        return new ApiWatchEvent(event.path("type").asText(), object);
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // Closing is how a watch is abandoned; a connection that fails to close is dropped all the same.
        }
    }
}
