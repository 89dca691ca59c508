package dev.kumo.local.lambda;

import java.time.Duration;

/** Retries an assertion until it holds or a deadline passes; then the last failure is thrown. */
final class Eventually {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(50);

    interface Assertion {
        void check() throws Exception;
    }

    private Eventually() {
    }

    static void eventually(Assertion assertion) {
        eventually(DEFAULT_TIMEOUT, assertion);
    }

    static void eventually(Duration timeout, Assertion assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.check();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) {
                    if (e instanceof AssertionError error) {
                        throw error;
                    }
                    throw new AssertionError("Condition not met within " + timeout, e);
                }
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting", e);
            }
        }
    }
}
