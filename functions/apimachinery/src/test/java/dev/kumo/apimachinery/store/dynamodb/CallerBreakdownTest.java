package dev.kumo.apimachinery.store.dynamodb;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallerBreakdownTest {

    @Test
    void callsCountAgainstTheCallerOfTheThreadAndTheScopeRestoresThePreviousOne() {
        CallerBreakdown breakdown = new CallerBreakdown();
        breakdown.call("Query", 1, 0);
        try (CallerBreakdown.Scope outer = CallerBreakdown.enter("kumo/default-scheduler list pods")) {
            breakdown.call("Query", 2, 0);
            try (CallerBreakdown.Scope inner = CallerBreakdown.enter("kubectl get pods")) {
                breakdown.call("GetItem", 0.5, 0);
            }
            breakdown.call("TransactWriteItems", 0, 4);
        }
        assertThat(CallerBreakdown.current()).isEqualTo(CallerBreakdown.NO_REQUEST);

        List<CallerBreakdown.CallerRow> rows = breakdown.snapshot().rows();
        assertThat(rows).extracting(CallerBreakdown.CallerRow::caller).containsExactly(
                "kumo/default-scheduler list pods", CallerBreakdown.NO_REQUEST, "kubectl get pods");
        assertThat(rows.get(0).operations()).containsOnlyKeys("Query", "TransactWriteItems");
        assertThat(rows.get(0).operations().get("TransactWriteItems").writeUnits()).isEqualTo(4);
    }

    @Test
    void callersPastTheLimitAreCountedTogether() {
        CallerBreakdown breakdown = new CallerBreakdown();
        for (int i = 0; i <= CallerBreakdown.MAX_CALLERS; i++) {
            breakdown.request("agent-" + i + " get pods", 1);
        }
        assertThat(breakdown.snapshot().requests()).hasSize(CallerBreakdown.MAX_CALLERS + 1)
                .containsKey(CallerBreakdown.OTHER_CALLERS).doesNotContainKey("agent-1000 get pods");
    }

    @Test
    void aSnapshotMinusAnEarlierOneKeepsOnlyWhatHappenedBetween() {
        CallerBreakdown breakdown = new CallerBreakdown();
        try (CallerBreakdown.Scope ignored = CallerBreakdown.enter("a")) {
            breakdown.call("GetItem", 1, 0);
        }
        breakdown.request("a", 1_000);
        CallerBreakdown.Snapshot before = breakdown.snapshot();
        try (CallerBreakdown.Scope ignored = CallerBreakdown.enter("b")) {
            breakdown.call("GetItem", 1, 0);
            breakdown.call("GetItem", 1, 0);
        }
        breakdown.request("b", 3_000);

        CallerBreakdown.Snapshot between = breakdown.snapshot().minus(before);
        assertThat(between.totalCalls()).isEqualTo(2);
        assertThat(between.rows()).singleElement().satisfies(row -> {
            assertThat(row.caller()).isEqualTo("b");
            assertThat(row.requests().count()).isEqualTo(1);
            assertThat(row.requests().nanos()).isEqualTo(3_000);
            assertThat(row.calls()).isEqualTo(2);
        });
    }
}
