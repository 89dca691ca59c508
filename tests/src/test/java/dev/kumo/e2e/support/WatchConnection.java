package dev.kumo.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An open watch: each line the server streams is one event ({@code {"type":..,"object":..}}), queued as it
 * arrives. A watch the server refused holds its answer instead ({@link #refusal()}).
 */
public final class WatchConnection implements AutoCloseable {
    /** Queued when the server ends the stream. */
    private static final JsonNode END = new ObjectMapper().createObjectNode().put("type", "<end of stream>");

    private final String path;
    private final InputStream body;
    private final ApiClient.Response refusal;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> received = new ArrayList<>();

    private WatchConnection(String path, InputStream body, ApiClient.Response refusal) {
        this.path = path;
        this.body = body;
        this.refusal = refusal;
    }

    static WatchConnection failed(ApiClient.Response refusal) {
        return new WatchConnection("", null, refusal);
    }

    static WatchConnection reading(String path, InputStream body, ObjectMapper mapper) {
        WatchConnection connection = new WatchConnection(path, body, null);
        Thread.ofVirtual().name("watch " + path).start(() -> connection.readLines(mapper));
        return connection;
    }

    private void readLines(ObjectMapper mapper) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    events.add(mapper.readTree(line));
                }
            }
        } catch (IOException closed) {
            // the test closed the watch, or the server went away: either way the stream is over
        } finally {
            events.add(END);
        }
    }

    /** The server's answer if it refused to start the watch; null if it is streaming. */
    public ApiClient.Response refusal() {
        return refusal;
    }

    /** The next event; fails if none arrives within {@code timeout} or the stream ended. */
    public JsonNode next(Duration timeout) {
        JsonNode event = poll(timeout);
        if (event == null) {
            throw new AssertionError("no watch event within " + timeout.toMillis() + " ms on " + path
                    + "; received so far: " + received);
        }
        if (event == END) {
            events.add(END);
            throw new AssertionError("the watch " + path + " ended; received: " + received);
        }
        return event;
    }

    /** The next event, or null if none arrived within {@code timeout}; fails if the stream ended. */
    public JsonNode nextOrNull(Duration timeout) {
        JsonNode event = poll(timeout);
        if (event == END) {
            events.add(END);
            throw new AssertionError("the watch " + path + " ended; received: " + received);
        }
        return event;
    }

    /** Whether the server ended the stream within {@code timeout}, with no event before the end. */
    public boolean endsWithin(Duration timeout) {
        JsonNode event = poll(timeout);
        if (event != null && event != END) {
            throw new AssertionError("expected the watch to end, but got " + event);
        }
        return event == END;
    }

    private JsonNode poll(Duration timeout) {
        if (refusal != null) {
            throw new AssertionError("the watch was refused: " + refusal);
        }
        try {
            JsonNode event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event != null && event != END) {
                received.add(event);
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a watch event", e);
        }
    }

    @Override
    public void close() {
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing a half-read stream may complain; the connection is gone either way
            }
        }
    }
}
