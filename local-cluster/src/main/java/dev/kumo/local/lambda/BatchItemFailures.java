package dev.kumo.local.lambda;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/** Judges a ReportBatchItemFailures response with the rules Lambda documents for SQS and stream sources. */
final class BatchItemFailures {

    private BatchItemFailures() {
    }

    /** What the function's response means for the batch. */
    sealed interface Verdict {
    }

    /** No failures reported (null or empty list): the whole batch succeeded. */
    record AllSucceeded() implements Verdict {
    }

    /** The items named failed; the others succeeded. */
    record SomeFailed(Set<String> itemIdentifiers) implements Verdict {
    }

    /** A null, empty or unknown itemIdentifier: Lambda treats the whole batch as failed. */
    record Invalid(String reason) implements Verdict {
    }

    /**
     * @param reported the itemIdentifiers of the response's batchItemFailures, null when the list is absent
     * @param batch    the identifiers of the items that were sent
     */
    static Verdict judge(List<String> reported, Set<String> batch) {
        if (reported == null || reported.isEmpty()) {
            return new AllSucceeded();
        }
        Set<String> failed = new LinkedHashSet<>();
        for (String identifier : reported) {
            if (identifier == null || identifier.isEmpty()) {
                return new Invalid("batchItemFailures contains a null or empty itemIdentifier");
            }
            if (!batch.contains(identifier)) {
                return new Invalid("batchItemFailures names " + identifier + ", which is not in the batch");
            }
            failed.add(identifier);
        }
        return new SomeFailed(Set.copyOf(failed));
    }

    /** The identifiers of a list of failure entries, keeping nulls so that {@link #judge} can reject them. */
    static <T> List<String> identifiers(List<T> failures, Function<T, String> itemIdentifier) {
        if (failures == null) {
            return null;
        }
        return failures.stream().map(f -> Objects.isNull(f) ? null : itemIdentifier.apply(f)).toList();
    }
}
