package dev.kumo.controllers.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.ApiWatchEvent;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.client.WatchConnection;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every pod of the cluster as of a revision read at the call, kept current without listing them all each time (a
 * list reads and serialises every pod, O(pods) per snapshot): the pods' current resourceVersion is read with a list
 * of one item, and when it moved past this copy's, a short watch from this copy's resourceVersion (the API reads it
 * from the change log) applies the changes until the copy reaches it. Each watch is bounded ({@link #WATCH_SECONDS})
 * and closed once caught up, so it runs within one Lambda invocation (which freezes between calls; nothing is left
 * open across). The pods are listed again when the copy's resourceVersion is too old for the log (410 Gone), when
 * the watches do not catch up, after {@code relistAfter} as a safety net, and while no pod was ever written (a list
 * at resourceVersion 0: a watch from "0" would send the current pods first, in no revision order).
 *
 * <p>The copy is what a list at the read revision would return: a change up to that revision has been applied (a
 * watch delivers changes in revision order, and the list's resourceVersion is one up to which every write is
 * visible). kumo's resourceVersions are the store's revisions of the resource, so they are compared as numbers here
 * (kumo's own component; clients in general must treat them as opaque). Not thread-safe: the caller holds a lock.
 */
public final class PodCache {
    private static final Logger LOG = LoggerFactory.getLogger(PodCache.class);
    /** How long one catch-up watch may stream; the server ends it then with a bookmark where it got to. */
    static final long WATCH_SECONDS = 1;
    /** Watches that end before the copy caught up (a large backlog) are resumed this many times, then it relists. */
    static final int MAX_WATCHES = 5;

    private final KubeClient client;
    private final long relistAfterNanos;
    private final Map<String, ObjectNode> pods = new HashMap<>();
    private long revision = -1;
    private long listedAt;
    private int lists;

    public PodCache(KubeClient client, Duration relistAfter) {
        this.client = client;
        this.relistAfterNanos = relistAfter.toNanos();
    }

    /** Every pod, as of a revision read during this call. */
    public List<ObjectNode> current() {
        // resourceVersion 0 (no pod ever written) cannot start a watch: "0" asks for the current state first.
        if (revision <= 0 || System.nanoTime() - listedAt > relistAfterNanos) {
            relist();
        } else {
            long target = currentRevision();
            if (target > revision && !catchUp(target)) {
                relist();
            }
        }
        return new ArrayList<>(pods.values());
    }

    /** How many times the pods were listed (the first time included). */
    public int lists() {
        return lists;
    }

    private void relist() {
        KubeClient.ObjectList list = client.listWithVersion(ResourceType.PODS, "", "", "");
        pods.clear();
        list.items().forEach(pod -> pods.put(key(pod), pod));
        revision = Long.parseLong(list.resourceVersion());
        listedAt = System.nanoTime();
        lists++;
        LOG.atDebug().setMessage("pods listed").addKeyValue("pods", pods.size()).addKeyValue("resourceVersion",
                revision).log();
    }

    /** The pods' resourceVersion now: a list of one item says it without reading them all. */
    private long currentRevision() {
        ObjectNode page = client.getPath(ResourceType.PODS.collectionPath("") + "?limit=1");
        return Long.parseLong(page.path("metadata").path("resourceVersion").asText());
    }

    /** Applies the changes after {@link #revision} up to {@code target}; false when a list must do it. */
    private boolean catchUp(long target) {
        int applied = 0;
        for (int watch = 0; watch < MAX_WATCHES; watch++) {
            try (WatchConnection changes = client.watch(ResourceType.PODS, "", "", "", Long.toString(revision),
                    WATCH_SECONDS)) {
                for (ApiWatchEvent event = changes.next(); event != null; event = changes.next()) {
                    if (event.type().equals(ApiWatchEvent.ERROR)) {
                        return expired(event.error());
                    }
                    apply(event);
                    applied++;
                    if (revision >= target) {
                        LOG.atDebug().setMessage("pods caught up by a watch").addKeyValue("events", applied)
                                .addKeyValue("resourceVersion", revision).log();
                        return true; // closing the watch early: the server stops at its next write or poll
                    }
                }
            } catch (ApiError e) {
                return expired(e);
            } catch (IOException e) {
                throw new UncheckedIOException("watching pods from resourceVersion " + revision + " failed", e);
            }
        }
        LOG.atInfo().setMessage("pod watches did not catch up; listing the pods").addKeyValue("resourceVersion",
                revision).addKeyValue("target", target).addKeyValue("events", applied).log();
        return false;
    }

    private void apply(ApiWatchEvent event) {
        ObjectNode object = event.object();
        switch (event.type()) {
            case ApiWatchEvent.ADDED, ApiWatchEvent.MODIFIED -> pods.put(key(object), object);
            case ApiWatchEvent.DELETED -> pods.remove(key(object));
            default -> {
            } // BOOKMARK: only the resourceVersion moves
        }
        String version = event.resourceVersion();
        if (!version.isEmpty()) {
            revision = Math.max(revision, Long.parseLong(version));
        }
    }

    /** 410 Gone: the log no longer reaches back to this copy; anything else is a failure of the call. */
    private boolean expired(ApiError error) {
        if (error.code() != 410) {
            throw error;
        }
        LOG.atInfo().setMessage("pod watch expired; listing the pods").addKeyValue("resourceVersion", revision)
                .addKeyValue("reason", error.getMessage()).log();
        return false;
    }

    private static String key(ObjectNode pod) {
        return Meta.namespace(pod) + "/" + Meta.name(pod);
    }
}
