package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.WatchBatch;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiResponse;
import dev.kumo.apiserver.registry.GenericRegistry;
import dev.kumo.apiserver.registry.ListRequest;
import dev.kumo.apiserver.resources.ResourceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Streams a watch: one JSON line per event ({@code {"type":"ADDED","object":{...}}}), filtered by namespace and
 * selectors. An object that stops matching a selector is reported DELETED and one that starts matching ADDED, as
 * kube-apiserver does. The stream ends when the client leaves, {@code timeoutSeconds} pass, or the host's deadline
 * (API Gateway's 30 s) nears; with bookmarks allowed, a BOOKMARK tells the client where to resume, and one at least
 * every minute ({@link BookmarkSchedule}) also lets a streaming host notice that the client of an idle watch left.
 * The objects of ADDED, MODIFIED and DELETED events go through an encoding (e.g. into tables); bookmarks and errors
 * do not.
 */
public final class WatchStream implements ApiResponse.StreamBody {
    private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
    /** The longest one read of the store waits for events. */
    private static final long MAX_WAIT_MILLIS = 5_000;

    private final ObjectMapper mapper;
    private final GenericRegistry registry;
    private final ResourceDefinition def;
    private final String namespace;
    private final ListRequest request;
    private final Predicate<ObjectNode> matches;
    private final boolean bookmarks;
    private final long timeoutMillis;
    private final UnaryOperator<ObjectNode> encoding;

    public WatchStream(ObjectMapper mapper, GenericRegistry registry, ResourceDefinition def, String namespace,
                       ListRequest request, Predicate<ObjectNode> matches, boolean bookmarks, long timeoutMillis,
                       UnaryOperator<ObjectNode> encoding) {
        this.mapper = mapper;
        this.registry = registry;
        this.def = def;
        this.namespace = namespace;
        this.request = request;
        this.matches = matches;
        this.bookmarks = bookmarks;
        this.timeoutMillis = timeoutMillis;
        this.encoding = encoding;
    }

    @Override
    public void writeTo(ApiResponse.Sink sink) throws IOException {
        long end = System.nanoTime() + Math.min(timeoutMillis, Long.MAX_VALUE / 2_000_000) * 1_000_000;
        Store store = registry.store();
        String rv = request.resourceVersion();
        long cursor;
        if (rv == null || rv.isEmpty() || rv.equals("0")) {
            // "Get state and start at most recent": the current objects as ADDED, then the changes.
            ListPage page = registry.listPage(def, namespace,
                    new ListRequest(request.labels(), request.fields(), 0, null, "", ""), matches);
            for (StoredObject item : page.items()) {
                sendEvent(sink, "ADDED", registry.served(def, item));
            }
            cursor = page.revision();
        } else {
            cursor = parse(rv);
        }
        long lastSent = cursor;
        BookmarkSchedule schedule = BookmarkSchedule.startingAt(System.nanoTime());
        // A bounded host (API Gateway) sets the sink's deadline with room to flush the last bookmark; the stream
        // reads at least once even when little time is left, so a short poll still reports what happened.
        do {
            long remaining = Math.max(0, Math.min((end - System.nanoTime()) / 1_000_000, sink.remainingMillis()));
            long wait = Math.min(remaining, MAX_WAIT_MILLIS);
            if (bookmarks) {
                wait = Math.min(wait, schedule.untilHeartbeat(System.nanoTime()).toMillis());
            }
            WatchBatch batch;
            try {
                batch = store.watch(def.storageResource(), cursor, Duration.ofMillis(wait));
            } catch (StoreException.Expired expired) {
                sendError(sink, ApiException.gone(expired.getMessage()));
                return;
            }
            for (WatchEvent event : batch.events()) {
                if (deliver(sink, store, event)) {
                    lastSent = event.revision();
                }
            }
            cursor = batch.throughRevision();
            long now = System.nanoTime();
            if (bookmarks && schedule.due(now, cursor > lastSent)) {
                // A bookmark at revision 0 would read as "any" to a client resuming from it; a type never written
                // has nothing to resume from anyway.
                if (cursor > 0) {
                    sendBookmark(sink, cursor);
                    lastSent = cursor;
                }
                schedule.sent(now);
            }
        } while (sink.isOpen() && System.nanoTime() < end);
        if (bookmarks && sink.connected() && cursor > lastSent) {
            sendBookmark(sink, cursor);
        }
    }

    private boolean deliver(ApiResponse.Sink sink, Store store, WatchEvent event) throws IOException {
        if (def.namespaced() && !namespace.isEmpty() && !event.key().namespace().equals(namespace)) {
            return false;
        }
        ObjectNode object = registry.served(def, event.object());
        boolean now = matches.test(object);
        switch (event.type()) {
            case ADDED -> {
                if (now) {
                    sendEvent(sink, "ADDED", object);
                    return true;
                }
            }
            case DELETED -> {
                if (now) {
                    sendEvent(sink, "DELETED", object);
                    return true;
                }
            }
            case MODIFIED -> {
                boolean before = now;
                if (!request.labels().isEverything() || !request.fields().terms().isEmpty()) {
                    before = store.getAtRevision(def.storageResource(), event.previousRevision())
                            .map(old -> matches.test(registry.served(def, old.value()))).orElse(now);
                }
                if (now || before) {
                    sendEvent(sink, now && before ? "MODIFIED" : now ? "ADDED" : "DELETED", object);
                    return true;
                }
            }
        }
        return false;
    }

    private void sendEvent(ApiResponse.Sink sink, String type, ObjectNode object) throws IOException {
        send(sink, type, encoding.apply(object));
    }

    private void send(ApiResponse.Sink sink, String type, ObjectNode object) throws IOException {
        ObjectNode event = mapper.createObjectNode();
        event.put("type", type);
        event.set("object", object);
        sink.send(line(event));
    }

    private void sendBookmark(ApiResponse.Sink sink, long revision) throws IOException {
        ObjectNode object = mapper.createObjectNode();
        object.put("kind", def.kind()).put("apiVersion", def.apiVersion());
        object.putObject("metadata").put("resourceVersion", Long.toString(revision));
        send(sink, "BOOKMARK", object);
    }

    private void sendError(ApiResponse.Sink sink, ApiException error) throws IOException {
        LOG.atInfo().addKeyValue("resource", def.storageResource()).addKeyValue("reason", error.reason())
                .log("watch ended with an error event: " + error.getMessage());
        ObjectNode event = mapper.createObjectNode();
        event.put("type", "ERROR");
        event.set("object", StatusBuilder.status(mapper, error));
        sink.send(line(event));
    }

    private byte[] line(ObjectNode event) throws IOException {
        byte[] json = mapper.writeValueAsBytes(event);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    private static long parse(String rv) {
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version \"" + rv + "\": must be a non-negative integer");
        }
    }
}
