package dev.kumo.local.bench;

import dev.kumo.apimachinery.store.dynamodb.CallerBreakdown;

import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints where the API's DynamoDB calls went per bound pod: by caller (user agent, verb, resource), with the
 * caller's requests per pod, their average time in the server, and the calls by DynamoDB operation.
 */
final class CostReport {
    /** Callers below this many calls per pod are summed into one line. */
    private static final double SHOWN = 0.05;

    private CostReport() {
    }

    static void print(CallerBreakdown.Snapshot cost, int pods) {
        System.out.printf("DynamoDB calls per bound pod by caller (user agent, verb, resource); %.1f in all:%n",
                (double) cost.totalCalls() / pods);
        System.out.printf("  %-58s %8s %9s %8s  %s%n", "caller", "req/pod", "ms/req", "calls/pod", "by operation");
        double otherCalls = 0;
        double otherRequests = 0;
        for (CallerBreakdown.CallerRow row : cost.rows()) {
            double calls = (double) row.calls() / pods;
            double requests = (double) row.requests().count() / pods;
            if (calls < SHOWN) {
                otherCalls += calls;
                otherRequests += requests;
                continue;
            }
            String millis = row.requests().count() == 0 ? "-"
                    : String.format("%.1f", row.requests().nanos() / 1e6 / row.requests().count());
            System.out.printf("  %-58s %8.2f %9s %8.2f  %s%n", cut(row.caller(), 58), requests, millis, calls,
                    operations(row.operations(), pods));
        }
        System.out.printf("  %-58s %8.2f %9s %8.2f%n", "(callers under " + SHOWN + " calls/pod)", otherRequests, "-",
                otherCalls);
    }

    private static String operations(Map<String, CallerBreakdown.Totals> operations, int pods) {
        return operations.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, CallerBreakdown.Totals> e) -> e.getValue().count())
                        .reversed())
                .map(e -> String.format("%s %.2f", e.getKey(), (double) e.getValue().count() / pods))
                .collect(Collectors.joining(", "));
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
