package dev.kumo.apimachinery.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * client-go's reflector and informer in small: lists a selection, then watches it from the list's resourceVersion,
 * keeping a cache of the objects and telling a {@link Handler} what changed. A watch the server ends is resumed from
 * the last resourceVersion seen (bookmarks included); an expired one (410 Gone) is replaced by a fresh list, whose
 * differences from the cache reach the handler as adds, updates and deletes. Other failures are retried with
 * client-go's back-off (0.8 s doubling to 30 s, jittered).
 *
 * <p>{@link #run()} blocks the calling thread until {@link #close()}; the handler is called on that thread.
 */
public final class Informer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Informer.class);
    /** client-go's minWatchTimeout: each watch asks for 5 to 10 minutes, so that watchers reconnect spread out. */
    private static final long MIN_WATCH_SECONDS = 300;
    /** A watch that outlives its timeout by this much has lost its server without the connection noticing. */
    private static final long WATCH_DEADLINE_MARGIN_SECONDS = 30;
    private static final long INITIAL_BACKOFF_MILLIS = 800;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    /** What the informer reports, in the order the API made the changes. */
    public interface Handler {
        void added(ObjectNode object);

        void updated(ObjectNode previous, ObjectNode object);

        void deleted(ObjectNode last);
    }

    private final KubeClient client;
    private final ResourceType type;
    private final String namespace;
    private final String labelSelector;
    private final String fieldSelector;
    private final Handler handler;
    private final Map<String, ObjectNode> cache = new ConcurrentHashMap<>();
    private final CountDownLatch synced = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile boolean closed;
    private Thread runner;
    private WatchConnection current;
    private String resourceVersion;
    private long backoffMillis = INITIAL_BACKOFF_MILLIS;

    public Informer(KubeClient client, ResourceType type, String namespace, String labelSelector,
                    String fieldSelector, Handler handler) {
        this.client = client;
        this.type = type;
        this.namespace = namespace;
        this.labelSelector = labelSelector;
        this.fieldSelector = fieldSelector;
        this.handler = handler;
    }

    /** Lists and watches until {@link #close()}. */
    public void run() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            runner = Thread.currentThread();
        }
        while (!closed) {
            try {
                if (resourceVersion == null) {
                    relist();
                }
                watch();
            } catch (ApiError e) {
                if (e.code() == 410) {
                    LOG.atInfo().addKeyValue("resource", type.storageResource()).addKeyValue("selector", fieldSelector)
                            .log("watch expired, listing again: " + e.getMessage());
                    resourceVersion = null;
                } else {
                    failed(e);
                }
            } catch (RuntimeException | IOException e) {
                failed(e); // whatever went wrong, the informer lists and watches again rather than dying
            }
        }
    }

    /** Waits until the first list has reached the cache and the handler; false when {@code timeout} passed first. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean hasSynced() {
        return synced.getCount() == 0;
    }

    /** The cached object ({@code namespace} "" for cluster-scoped resources). */
    public Optional<ObjectNode> get(String namespace, String name) {
        return Optional.ofNullable(cache.get(key(namespace, name)));
    }

    public List<ObjectNode> list() {
        return new ArrayList<>(cache.values());
    }

    private void relist() {
        KubeClient.ObjectList list = client.listWithVersion(type, namespace, labelSelector, fieldSelector);
        Set<String> seen = new HashSet<>();
        for (ObjectNode object : list.items()) {
            String key = key(object);
            seen.add(key);
            ObjectNode previous = cache.put(key, object);
            if (previous == null) {
                notify(() -> handler.added(object), object);
            } else if (!resourceVersion(previous).equals(resourceVersion(object))) {
                notify(() -> handler.updated(previous, object), object);
            }
        }
        for (String key : new ArrayList<>(cache.keySet())) {
            if (!seen.contains(key)) {
                ObjectNode last = cache.remove(key);
                notify(() -> handler.deleted(last), last);
            }
        }
        resourceVersion = list.resourceVersion();
        synced.countDown();
        LOG.atDebug().addKeyValue("resource", type.storageResource()).addKeyValue("selector", fieldSelector)
                .addKeyValue("items", list.items().size()).addKeyValue("resourceVersion", resourceVersion)
                .log("listed");
    }

    private void watch() throws IOException {
        long timeoutSeconds = MIN_WATCH_SECONDS + ThreadLocalRandom.current().nextLong(MIN_WATCH_SECONDS);
        WatchConnection connection = client.watch(type, namespace, labelSelector, fieldSelector, resourceVersion,
                timeoutSeconds);
        synchronized (lock) {
            if (closed) {
                connection.close();
                return;
            }
            current = connection;
        }
        CompletableFuture.delayedExecutor(timeoutSeconds + WATCH_DEADLINE_MARGIN_SECONDS, TimeUnit.SECONDS)
                .execute(() -> abandon(connection));
        long started = System.nanoTime();
        int events = 0;
        try (connection) {
            ApiWatchEvent event;
            while (!closed && (event = connection.next()) != null) {
                events++;
                apply(event);
                backoffMillis = INITIAL_BACKOFF_MILLIS;
            }
            if (events == 0 && !closed && System.nanoTime() - started < 1_000_000_000L) {
                // client-go's "very short watch": a server that ends every watch at once must not be hammered
                throw new IOException("very short watch: the server ended it within a second without any event");
            }
        } finally {
            synchronized (lock) {
                current = null;
            }
            if (!closed) {
                Thread.interrupted(); // an abandon() that raced the watch's own end must not hit what comes next
            }
        }
    }

    /** Applies one event; an ERROR event is thrown as its {@link ApiError} (410 Gone: {@link #run} lists again). */
    private void apply(ApiWatchEvent event) {
        switch (event.type()) {
            case ApiWatchEvent.ADDED, ApiWatchEvent.MODIFIED -> {
                ObjectNode object = event.object();
                ObjectNode previous = cache.put(key(object), object);
                if (previous == null) {
                    notify(() -> handler.added(object), object);
                } else {
                    notify(() -> handler.updated(previous, object), object);
                }
            }
            case ApiWatchEvent.DELETED -> {
                ObjectNode object = event.object();
                cache.remove(key(object));
                notify(() -> handler.deleted(object), object);
            }
            case ApiWatchEvent.BOOKMARK -> {
            }
            case ApiWatchEvent.ERROR -> throw event.error();
            default -> throw new IllegalStateException("unknown watch event type " + event.type());
        }
        String version = event.resourceVersion();
        if (!version.isEmpty()) {
            resourceVersion = version;
        }
    }

    private void notify(Runnable call, ObjectNode object) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("resource", type.storageResource()).addKeyValue("object", key(object))
                    .setCause(e).log("informer handler failed");
        }
    }

    private void failed(Exception e) {
        if (closed) {
            return;
        }
        long jittered = backoffMillis + ThreadLocalRandom.current().nextLong(backoffMillis + 1);
        var warning = LOG.atWarn().addKeyValue("resource", type.storageResource()).addKeyValue("selector", fieldSelector)
                .addKeyValue("retryInMillis", jittered);
        if (!(e instanceof ApiError || e instanceof IOException || e.getCause() instanceof IOException)) {
            warning = warning.setCause(e); // not the API or the network: a bug, whose trace matters
        }
        warning.log("list/watch failed: " + e.getMessage());
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        try {
            Thread.sleep(jittered);
        } catch (InterruptedException interrupted) {
            // close() (the loop then ends) or a late abandon() (the loop goes on at once): either way, no sleep.
        }
    }

    /** Ends a watch that outlived its deadline, so that the runner resumes with a new one. */
    private void abandon(WatchConnection connection) {
        synchronized (lock) {
            if (current == connection) {
                LOG.atWarn().addKeyValue("resource", type.storageResource()).addKeyValue("selector", fieldSelector)
                        .log("watch outlived its timeout; reconnecting");
                connection.close();
                runner.interrupt();
            }
        }
    }

    private static String resourceVersion(ObjectNode object) {
        return object.path("metadata").path("resourceVersion").asText("");
    }

    private static String key(ObjectNode object) {
        return key(object.path("metadata").path("namespace").asText(""), object.path("metadata").path("name").asText(""));
    }

    private static String key(String namespace, String name) {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (current != null) {
                current.close();
            }
            if (runner != null) {
                runner.interrupt();
            }
        }
    }
}
