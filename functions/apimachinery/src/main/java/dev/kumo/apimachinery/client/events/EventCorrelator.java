package dev.kumo.apimachinery.client.events;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * client-go's {@code EventCorrelator} limits, so that a controller acting on many objects writes a handful of
 * events, not thousands (a replica set creating 1,000 pods):
 * <ul>
 *   <li>aggregation ({@code EventAggregator}): after 10 events about one object with the same type and reason but
 *       different messages within 10 minutes, further ones become one event, "(combined from similar events): "
 *       and the latest message, whose count grows;</li>
 *   <li>spam filter ({@code EventSourceObjectSpamFilter}): at most 25 events about one object in a burst, then
 *       one per 5 minutes; the rest are dropped.</li>
 * </ul>
 * Its memory is per process, like client-go's.
 */
final class EventCorrelator {
    static final String COMBINED_PREFIX = "(combined from similar events): ";
    static final int MAX_SIMILAR = 10;
    static final Duration SIMILAR_WINDOW = Duration.ofMinutes(10);
    static final int SPAM_BURST = 25;
    static final Duration SPAM_REFILL = Duration.ofMinutes(5);
    private static final int REMEMBERED = 4096;

    private final Map<String, Similar> similar = lru();
    private final Map<String, Bucket> buckets = lru();

    private static final class Similar {
        final Set<String> messages = new HashSet<>();
        Instant last;
    }

    private static final class Bucket {
        double tokens = SPAM_BURST;
        Instant refilled;
    }

    /** Whether an event about {@code object} may be written now (takes a token if so). */
    synchronized boolean allow(String object, Instant now) {
        Bucket bucket = buckets.computeIfAbsent(object, key -> new Bucket());
        if (bucket.refilled != null) {
            double earned = (double) Duration.between(bucket.refilled, now).toMillis() / SPAM_REFILL.toMillis();
            bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + Math.max(0, earned));
        }
        bucket.refilled = now;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    /** Whether this event joins the combined one of its kind ({@code similarKey}: object, type and reason). */
    synchronized boolean combine(String similarKey, String message, Instant now) {
        Similar record = similar.get(similarKey);
        if (record == null || record.last.plus(SIMILAR_WINDOW).isBefore(now)) {
            record = new Similar();
            similar.put(similarKey, record);
        }
        record.last = now;
        if (record.messages.size() <= MAX_SIMILAR) { // one past the limit is all the answer needs
            record.messages.add(message);
        }
        return record.messages.size() > MAX_SIMILAR;
    }

    /** A map of the {@value #REMEMBERED} keys used last (the recorder's memory of its events too). */
    static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }
}
