package dev.kumo.apimachinery.store.dynamodb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * DynamoDB calls and API requests per caller, so that a benchmark can say who spends what: the API server names the
 * caller of each request ({@link #enter}, e.g. {@code kumo/default-scheduler list pods}) on the thread that serves
 * it, and {@link ConsumedCapacityMeter} counts each DynamoDB call against the caller of the thread that makes it
 * (the SDK's synchronous client runs its interceptors on the calling thread). Calls made outside any request
 * (compaction, the API's own reconcilers) count as {@link #NO_REQUEST}.
 */
public final class CallerBreakdown {
    public static final String NO_REQUEST = "(no request)";
    /** Callers are named by clients (their user agent): past this many, new ones are counted together. */
    static final int MAX_CALLERS = 1000;
    static final String OTHER_CALLERS = "(other callers)";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private final Map<String, Counts> requests = new ConcurrentHashMap<>();
    private final Map<Key, Counts> calls = new ConcurrentHashMap<>();

    /** Restores the caller the thread had before {@link #enter}. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** One caller's DynamoDB operation ({@code GetItem}, {@code TransactWriteItems}, ...). */
    public record Key(String caller, String operation) {
    }

    /** Counts since the breakdown was created; {@code nanos} is the requests' time in the server. */
    public record Totals(long count, double readUnits, double writeUnits, long nanos) {
        Totals minus(Totals earlier) {
            return earlier == null ? this : new Totals(count - earlier.count, readUnits - earlier.readUnits,
                    writeUnits - earlier.writeUnits, nanos - earlier.nanos);
        }
    }

    /** Requests per caller and calls per caller and operation, at one moment. */
    public record Snapshot(Map<String, Totals> requests, Map<Key, Totals> calls) {
        /** What happened between {@code earlier} and this snapshot. */
        public Snapshot minus(Snapshot earlier) {
            Map<String, Totals> r = new HashMap<>();
            requests.forEach((caller, t) -> r.put(caller, t.minus(earlier.requests.get(caller))));
            Map<Key, Totals> c = new HashMap<>();
            calls.forEach((key, t) -> c.put(key, t.minus(earlier.calls.get(key))));
            r.values().removeIf(t -> t.count() == 0);
            c.values().removeIf(t -> t.count() == 0);
            return new Snapshot(r, c);
        }

        /** Per caller: its requests, and its DynamoDB calls by operation; most calls first. */
        public List<CallerRow> rows() {
            Map<String, CallerRow> rows = new HashMap<>();
            requests.forEach((caller, t) -> rows.put(caller, new CallerRow(caller, t, new HashMap<>())));
            calls.forEach((key, t) -> rows.computeIfAbsent(key.caller(),
                    caller -> new CallerRow(caller, new Totals(0, 0, 0, 0), new HashMap<>()))
                    .operations().put(key.operation(), t));
            List<CallerRow> sorted = new ArrayList<>(rows.values());
            sorted.sort(Comparator.comparingLong(CallerRow::calls).reversed().thenComparing(CallerRow::caller));
            return sorted;
        }

        public long totalCalls() {
            return calls.values().stream().mapToLong(Totals::count).sum();
        }
    }

    /** One caller's requests and its DynamoDB calls by operation. */
    public record CallerRow(String caller, Totals requests, Map<String, Totals> operations) {
        public long calls() {
            return operations.values().stream().mapToLong(Totals::count).sum();
        }
    }

    /** Names the caller of what this thread does until the scope closes. */
    public static Scope enter(String caller) {
        String previous = CURRENT.get();
        CURRENT.set(caller);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** The caller this thread serves now, or {@link #NO_REQUEST}. */
    public static String current() {
        String caller = CURRENT.get();
        return caller == null ? NO_REQUEST : caller;
    }

    /** A request of {@code caller} took {@code nanos} in the server. */
    public void request(String caller, long nanos) {
        String counted = requests.containsKey(caller) || requests.size() < MAX_CALLERS ? caller : OTHER_CALLERS;
        requests.computeIfAbsent(counted, c -> new Counts()).add(0, 0, nanos);
    }

    void call(String operation, double readUnits, double writeUnits) {
        Key key = new Key(current(), operation);
        if (!calls.containsKey(key) && calls.size() >= MAX_CALLERS) {
            key = new Key(OTHER_CALLERS, operation);
        }
        calls.computeIfAbsent(key, k -> new Counts()).add(readUnits, writeUnits, 0);
    }

    public Snapshot snapshot() {
        Map<String, Totals> r = new HashMap<>();
        requests.forEach((caller, counts) -> r.put(caller, counts.totals()));
        Map<Key, Totals> c = new HashMap<>();
        calls.forEach((key, counts) -> c.put(key, counts.totals()));
        return new Snapshot(r, c);
    }

    private static final class Counts {
        final LongAdder count = new LongAdder();
        final DoubleAdder readUnits = new DoubleAdder();
        final DoubleAdder writeUnits = new DoubleAdder();
        final LongAdder nanos = new LongAdder();

        void add(double read, double write, long time) {
            count.increment();
            readUnits.add(read);
            writeUnits.add(write);
            nanos.add(time);
        }

        Totals totals() {
            return new Totals(count.sum(), readUnits.sum(), writeUnits.sum(), nanos.sum());
        }
    }
}
