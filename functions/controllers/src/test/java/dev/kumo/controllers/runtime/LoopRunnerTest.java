package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LoopRunnerTest {
    private static final ObjectKey WEB = new ObjectKey("apps/replicasets", "default", "web");
    private static final ObjectKey POISON = new ObjectKey("apps/replicasets", "default", "poison");
    private static final ObjectKey SLOW = new ObjectKey("apps/replicasets", "default", "slow");

    /** Records the delayed deliveries a run asks for (the seam to SQS; its SQS side is tested with the host). */
    private final List<String> requeued = Collections.synchronizedList(new ArrayList<>());
    private final KeyQueues queues = new KeyQueues() {
        @Override
        public void send(List<Delivery> deliveries) {
            throw new AssertionError("a run only requeues");
        }

        @Override
        public void sendAfter(String loop, ObjectKey key, Duration delay) {
            requeued.add(loop + " " + key + " " + delay);
        }
    };

    @Test
    void aKeyThatThrowsFailsOnlyItsOwnMessagesAndTheOthersAreDone() throws Exception {
        Map<ObjectKey, AtomicInteger> calls = new ConcurrentHashMap<>();
        ControlLoop loop = new ControlLoop("replicaset", change -> List.of(), key -> {
            calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (key.equals(POISON)) {
                throw new IllegalStateException("cannot reconcile " + key);
            }
            return key.equals(SLOW) ? Result.requeueAfter(Duration.ofSeconds(30)) : Result.DONE;
        }, ResyncSource.NONE);

        Set<String> failed = new LoopRunner(loop, queues).run(List.of(new LoopRunner.Message("1", WEB),
                new LoopRunner.Message("2", POISON), new LoopRunner.Message("3", SLOW),
                new LoopRunner.Message("4", POISON), new LoopRunner.Message("5", WEB)));

        assertThat(failed).containsExactlyInAnyOrder("2", "4");
        // A key delivered twice in one batch is looked at once: level-triggered, the second look finds nothing new.
        assertThat(calls.get(WEB)).hasValue(1);
        assertThat(calls.get(POISON)).hasValue(1);
        assertThat(requeued).containsExactly("replicaset apps/replicasets:default/slow PT30S");
    }

    @Test
    void aRequeueThatCannotBeSentFailsTheKeySoItIsNotLost() throws Exception {
        ControlLoop loop = new ControlLoop("replicaset", change -> List.of(),
                key -> Result.requeueAfter(Duration.ofSeconds(5)), ResyncSource.NONE);
        KeyQueues broken = new KeyQueues() {
            @Override
            public void send(List<Delivery> deliveries) {
                throw new IllegalStateException("queue unavailable");
            }

            @Override
            public void sendAfter(String loopName, ObjectKey key, Duration delay) {
                throw new IllegalStateException("queue unavailable");
            }
        };

        assertThat(new LoopRunner(loop, broken).run(List.of(new LoopRunner.Message("1", WEB)))).containsExactly("1");
    }

    @Test
    void aBatchReconcilerGetsTheDistinctKeysInOneCallAndItsOutcomesPerKey() throws Exception {
        List<List<ObjectKey>> calls = Collections.synchronizedList(new ArrayList<>());
        BatchReconciler batch = keys -> {
            calls.add(keys);
            return new BatchReconciler.Outcomes(Map.of(SLOW, Result.requeueAfter(Duration.ofSeconds(7))),
                    Map.of(POISON, new IllegalStateException("no room")));
        };
        ControlLoop loop = new ControlLoop("scheduler", change -> List.of(), batch, ResyncSource.NONE);

        Set<String> failed = new LoopRunner(loop, queues).run(List.of(new LoopRunner.Message("1", WEB),
                new LoopRunner.Message("2", POISON), new LoopRunner.Message("3", SLOW),
                new LoopRunner.Message("4", WEB)));

        assertThat(calls).containsExactly(List.of(WEB, POISON, SLOW));
        assertThat(failed).containsExactly("2");
        assertThat(requeued).containsExactly("scheduler apps/replicasets:default/slow PT7S");
    }

    @Test
    void resultsKeepTheSoonerRequeue() {
        Result thirty = Result.requeueAfter(Duration.ofSeconds(30));
        Result five = Result.requeueAfter(Duration.ofSeconds(5));
        assertThat(thirty.orSooner(five)).isEqualTo(five);
        assertThat(Result.DONE.orSooner(thirty)).isEqualTo(thirty);
        assertThat(five.orSooner(Result.DONE)).isEqualTo(five);
        assertThat(Result.requeueAfter(Duration.ofSeconds(-3)).requeueAfter()).isEqualTo(Duration.ZERO);
    }
}
