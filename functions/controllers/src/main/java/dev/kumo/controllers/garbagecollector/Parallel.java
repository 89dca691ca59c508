package dev.kumo.controllers.garbagecollector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs API calls side by side, a bounded number at a time (the list of a scan, the deletes of a thousand
 * dependents): most of their time is spent waiting on the API. Every call runs even when some fail; the first
 * failure is thrown with the others suppressed, so that the key is retried.
 */
final class Parallel {
    static final int CONCURRENCY = 16;

    private Parallel() {
    }

    static <T> List<T> call(List<Callable<T>> calls) throws Exception {
        if (calls.size() == 1) {
            List<T> single = new ArrayList<>();
            single.add(calls.getFirst().call()); // may be null (Void calls)
            return single;
        }
        Semaphore permits = new Semaphore(CONCURRENCY);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<T> call : calls) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return call.call();
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        List<T> results = new ArrayList<>();
        Exception failure = null;
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                Exception cause = e.getCause() instanceof Exception inner ? inner : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    static void run(List<Callable<Void>> calls) throws Exception {
        call(calls);
    }
}
