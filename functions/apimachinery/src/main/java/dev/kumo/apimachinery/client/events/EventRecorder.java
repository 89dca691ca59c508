package dev.kumo.apimachinery.client.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Writes core/v1 Events about objects, as client-go's event recorder does for kube-controller-manager and
 * kube-scheduler: named {@code <object>.<hex nanoseconds>}, in the object's namespace ({@code default} for
 * cluster-scoped ones), with {@code source.component} and {@code reportingComponent}. A repeat of the same event
 * (object, type, reason, message) seen by this process bumps the first one's {@code count} and
 * {@code lastTimestamp} instead of adding another, like client-go's correlator; its memory is per process (a Lambda
 * instance), so a repeat seen by another instance is a new Event, as it would be from a restarted controller.
 * Like client-go's correlator ({@link EventCorrelator}), similar events about one object beyond ten are combined
 * into one, and at most 25 events about one object are written in a burst. A failure to record is logged, never
 * thrown: an event is a report, not part of the work.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private final KubeClient client;
    private final String component;
    /** {@code source.host} and {@code reportingInstance}: the node, for the kubelet; "" for a controller. */
    private final String host;
    private final Clock clock;
    private final EventCorrelator correlator = new EventCorrelator();
    /** Events about one object are written one at a time, so that two threads never both create the same one. */
    private final Object[] writing = new Object[64];
    private final Map<String, Recorded> recent = EventCorrelator.lru();

    /** An event this process created: its name (in the object's event namespace) and its count. */
    private record Recorded(String name, int count) {
    }

    public EventRecorder(KubeClient client, String component, Clock clock) {
        this(client, component, "", clock);
    }

    /**
     * A recorder on a node ({@code host}): the kubelet's, whose events carry {@code source.host} and the node as
     * {@code reportingInstance}.
     */
    public EventRecorder(KubeClient client, String component, String host, Clock clock) {
        this.client = client;
        this.component = component;
        this.host = host;
        this.clock = clock;
        for (int i = 0; i < writing.length; i++) {
            writing[i] = new Object();
        }
    }

    /** Records an event about {@code object} (a full object as the API returned it). */
    public void event(JsonNode object, String type, String reason, String message) {
        event(object, "", type, reason, message);
    }

    /**
     * Records an event about a part of {@code object}: {@code fieldPath} is the involved object's
     * {@code fieldPath}, such as the kubelet's {@code spec.containers{web}} ("" for the whole object).
     */
    public void event(JsonNode object, String fieldPath, String type, String reason, String message) {
        JsonNode metadata = object.path("metadata");
        String uid = metadata.path("uid").asText();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (!correlator.allow(uid + "\u0000" + metadata.path("namespace").asText("") + "\u0000"
                + metadata.path("name").asText(), now)) {
            LOG.atDebug().addKeyValue("name", metadata.path("name").asText()).addKeyValue("reason", reason)
                    .log("event dropped as spam");
            return;
        }
        synchronized (writing[Math.floorMod(uid.hashCode(), writing.length)]) {
            record(object, fieldPath, type, reason, message, now);
        }
    }

    private void record(JsonNode object, String fieldPath, String type, String reason, String message,
                        Instant now) {
        JsonNode metadata = object.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        String eventNamespace = namespace.isEmpty() ? "default" : namespace;
        String name = metadata.path("name").asText();
        String similar = metadata.path("uid").asText() + "\u0000" + fieldPath + "\u0000" + type + "\u0000" + reason;
        String correlation = similar + "\u0000" + message;
        if (correlator.combine(similar, message, now)) {
            message = EventCorrelator.COMBINED_PREFIX + message;
            correlation = similar;
        }
        try {
            Recorded previous;
            synchronized (recent) {
                previous = recent.get(correlation);
            }
            if (previous != null && bump(eventNamespace, previous, message, now)) {
                synchronized (recent) {
                    recent.put(correlation, new Recorded(previous.name(), previous.count() + 1));
                }
                return;
            }
            ObjectNode event = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "Event");
            String eventName = name + "." + Long.toHexString(System.currentTimeMillis() * 1_000_000L
                    + System.nanoTime() % 1_000_000L);
            event.putObject("metadata").put("name", eventName).put("namespace", eventNamespace);
            ObjectNode involved = event.putObject("involvedObject")
                    .put("apiVersion", object.path("apiVersion").asText())
                    .put("kind", object.path("kind").asText())
                    .put("name", name)
                    .put("uid", metadata.path("uid").asText())
                    .put("resourceVersion", metadata.path("resourceVersion").asText());
            if (!namespace.isEmpty()) {
                involved.put("namespace", namespace);
            }
            if (!fieldPath.isEmpty()) {
                involved.put("fieldPath", fieldPath);
            }
            event.put("reason", reason).put("message", message).put("type", type)
                    .put("firstTimestamp", now.toString()).put("lastTimestamp", now.toString()).put("count", 1)
                    .put("reportingComponent", component)
                    .put("reportingInstance", host.isEmpty() ? component : host);
            ObjectNode source = event.putObject("source").put("component", component);
            if (!host.isEmpty()) {
                source.put("host", host);
            }
            client.create(ResourceType.EVENTS, eventNamespace, event);
            synchronized (recent) {
                recent.put(correlation, new Recorded(eventName, 1));
            }
        } catch (RuntimeException e) { // the API's refusal, the connection, the credentials: all only logged
            LOG.atWarn().setCause(e).addKeyValue("kind", object.path("kind").asText())
                    .addKeyValue("namespace", namespace).addKeyValue("name", name).addKeyValue("reason", reason)
                    .log("could not record an event");
        }
    }

    public void normal(JsonNode object, String reason, String message) {
        event(object, NORMAL, reason, message);
    }

    public void warning(JsonNode object, String reason, String message) {
        event(object, WARNING, reason, message);
    }

    /** Bumps the count of an event recorded before; false when it is gone (expired, deleted). */
    private boolean bump(String namespace, Recorded previous, String message, Instant now) {
        ObjectNode patch = client.mapper().createObjectNode().put("count", previous.count() + 1)
                .put("lastTimestamp", now.toString()).put("message", message);
        try {
            client.mergePatch(ResourceType.EVENTS, namespace, previous.name(), "", patch);
            return true;
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }
}
