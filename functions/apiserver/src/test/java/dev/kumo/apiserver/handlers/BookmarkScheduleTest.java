package dev.kumo.apiserver.handlers;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BookmarkScheduleTest {
    private static final long START = 1_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void anIdleWatchGetsAHeartbeatEveryMinuteAsKubeApiserverSends() {
        BookmarkSchedule schedule = BookmarkSchedule.startingAt(START);

        assertThat(schedule.due(START + 59 * SECOND, false)).isFalse();
        assertThat(schedule.due(START + 60 * SECOND, false)).isTrue();
        schedule.sent(START + 60 * SECOND);
        assertThat(schedule.due(START + 100 * SECOND, false)).isFalse();
        assertThat(schedule.due(START + 120 * SECOND, false)).isTrue();
    }

    @Test
    void aCursorPastTheLastEventSentIsReportedAfterTenSeconds() {
        BookmarkSchedule schedule = BookmarkSchedule.startingAt(START);

        assertThat(schedule.due(START + 9 * SECOND, true)).isFalse();
        assertThat(schedule.due(START + 10 * SECOND, true)).isTrue();
        assertThat(schedule.due(START + 10 * SECOND, false)).isFalse();
    }

    @Test
    void theWaitForEventsEndsWhenTheHeartbeatIsDue() {
        BookmarkSchedule schedule = BookmarkSchedule.startingAt(START);

        assertThat(schedule.untilHeartbeat(START + 45 * SECOND)).isEqualTo(Duration.ofSeconds(15));
        assertThat(schedule.untilHeartbeat(START + 75 * SECOND)).isEqualTo(Duration.ZERO);
    }
}
