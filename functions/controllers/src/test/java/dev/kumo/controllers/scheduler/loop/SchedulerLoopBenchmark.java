package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.BatchReconciler;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.testing.TestCluster;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pods bound per second through the real API (TestCluster: the API server over loopback HTTP on DynamoDB Local, in
 * this JVM), under kube-scheduler's identity: every binding is a {@code POST pods/<name>/binding} that reserves the
 * node's room, and every bound pod gets its {@code Scheduled} event. Nodes and pods are created before the clock
 * starts; the clock stops when every key has been reconciled to done (a failed or requeued key is run again, as a
 * host would). The last line is the API's own ceiling for the same writes without a scheduler: a binding and an
 * event per pod from 16 threads, nodes taken in turn. A main, not a test: the figures depend on the machine.
 *
 * <p>Run after {@code mvn -o -q -pl functions/controllers -am test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test} with a JDK 21+:
 * {@code java -cp functions/controllers/target/classes:functions/controllers/target/test-classes:$(cat
 * functions/controllers/target/test.classpath) dev.kumo.controllers.scheduler.loop.SchedulerLoopBenchmark
 * [pods nodes [invocations batch | ceiling]]} (ceiling: only the API ceiling, four times)
 */
public final class SchedulerLoopBenchmark {
    private static final int CEILING_THREADS = 16;

    private SchedulerLoopBenchmark() {
    }

    /** How the keys reach the reconcilers: this many invocations at once, each taking batches of this size. */
    private record Delivery(int invocations, int batch) {
    }

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        if (args.length > 2 && args[2].equals("ceiling")) {
            for (int i = 0; i < 4; i++) {
                System.out.printf(Locale.ROOT, "ceiling %.1f pods/s%n", pods / ceiling(pods, nodes));
            }
            System.exit(0);
        }
        List<Delivery> deliveries = args.length > 3
                ? List.of(new Delivery(Integer.parseInt(args[2]), Integer.parseInt(args[3])))
                : List.of(new Delivery(1, 10), new Delivery(1, 100), new Delivery(1, pods), new Delivery(4, 10),
                new Delivery(4, 50));
        run(100, 10, new Delivery(2, 50)); // warm the JIT of both sides
        System.out.println("pods  nodes  invocations  batch  seconds   pods/s  retried keys");
        for (Delivery delivery : deliveries) {
            Measured measured = run(pods, nodes, delivery);
            System.out.printf(Locale.ROOT, "%4d  %5d  %11d  %5d  %7.2f  %7.1f  %12d%n", pods, nodes,
                    delivery.invocations(), delivery.batch(), measured.seconds(), pods / measured.seconds(),
                    measured.retried());
        }
        System.out.printf(Locale.ROOT, "API ceiling (binding + Scheduled event per pod, %d threads, no scheduler): "
                + "%.1f pods/s%n", CEILING_THREADS, pods / ceiling(pods, nodes));
        System.exit(0); // DynamoDB Local leaves threads that are not daemons
    }

    private record Measured(double seconds, int retried) {
    }

    private static List<ObjectKey> setUp(KubeClient admin, int pods, int nodes) throws Exception {
        for (int i = 0; i < nodes; i++) {
            Fixtures.createNode(admin, Fixtures.node("node-" + i, "32", "110"));
        }
        List<ObjectKey> keys = new ArrayList<>();
        List<Callable<Object>> creations = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            String name = "pod-" + i;
            keys.add(Fixtures.key(name));
            creations.add(() -> Fixtures.createPod(admin, Fixtures.pod(name, "100m", 0)));
        }
        try (ExecutorService creators = Executors.newFixedThreadPool(8)) {
            for (Future<Object> created : creators.invokeAll(creations)) {
                created.get();
            }
        }
        return keys;
    }

    /** A fresh cluster with the nodes and the pending pods; the time until the scheduler bound them all. */
    private static Measured run(int pods, int nodes, Delivery delivery) throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            List<ObjectKey> keys = setUp(cluster.admin(), pods, nodes);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger retried = new AtomicInteger();
            long started = System.nanoTime();
            List<Callable<Object>> invocations = new ArrayList<>();
            for (int i = 0; i < delivery.invocations(); i++) {
                ControlLoop loop = SchedulerLoop.loop(Fixtures.schedulerContext(cluster, Clock.systemUTC()));
                invocations.add(() -> {
                    for (int from; (from = next.getAndAdd(delivery.batch())) < keys.size(); ) {
                        List<ObjectKey> todo = keys.subList(from, Math.min(from + delivery.batch(), keys.size()));
                        while (!todo.isEmpty()) {
                            todo = unfinished((BatchReconciler) loop.reconciler(), todo);
                            retried.addAndGet(todo.size());
                        }
                    }
                    return null;
                });
            }
            try (ExecutorService threads = Executors.newFixedThreadPool(delivery.invocations())) {
                for (Future<Object> invocation : threads.invokeAll(invocations)) {
                    invocation.get();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            int pending = cluster.admin().list(ResourceType.PODS, "default", "", "spec.nodeName=").size();
            if (pending != 0) {
                throw new IllegalStateException(pending + " pods were left unbound");
            }
            return new Measured(seconds, retried.get());
        }
    }

    /** One invocation with the batch; the keys that failed or asked to be requeued. */
    private static List<ObjectKey> unfinished(BatchReconciler reconciler, List<ObjectKey> batch) throws Exception {
        BatchReconciler.Outcomes outcomes = reconciler.reconcileBatch(batch);
        List<ObjectKey> again = new ArrayList<>(outcomes.failures().keySet());
        for (ObjectKey key : batch) {
            if (!outcomes.failures().containsKey(key) && outcomes.resultFor(key).requeue()) {
                again.add(key);
            }
        }
        return again;
    }

    /** The seconds the API takes for the scheduler's writes alone: binding and Scheduled event per pod. */
    private static double ceiling(int pods, int nodes) throws Exception {
        try (TestCluster cluster = new TestCluster()) {
            List<ObjectKey> keys = setUp(cluster.admin(), pods, nodes);
            ControllerContext context = Fixtures.schedulerContext(cluster, Clock.systemUTC());
            Binder binder = new Binder(context.client(), context.events());
            List<ObjectNode> pending = context.client().list(ResourceType.PODS, "default", "", "");
            List<Callable<Object>> writes = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                ObjectNode pod = pending.get(i);
                String node = "node-" + (i % nodes);
                writes.add(() -> binder.bind(pod, node));
            }
            long started = System.nanoTime();
            try (ExecutorService threads = Executors.newFixedThreadPool(CEILING_THREADS)) {
                for (Future<Object> write : threads.invokeAll(writes)) {
                    if (!(write.get() instanceof Binder.Bound)) {
                        throw new IllegalStateException("a binding failed: " + write.get());
                    }
                }
            }
            if (keys.size() != pending.size()) {
                throw new IllegalStateException("expected " + keys.size() + " pods, listed " + pending.size());
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }
}
