package dev.kumo.local.lambda;

import static dev.kumo.local.lambda.DynamoDbStreamEventSourceTest.sleep;
import static dev.kumo.local.lambda.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import java.util.List;
import org.joda.time.DateTimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScheduledTickTest {

    private final LocalLambdaHost host = new LocalLambdaHost(AwsLocation.LOCAL, null, null);
    private final Probe probe = Probe.create();

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void invokesAtTheRateWithTheEventEventBridgeSends() {
        host.createFunction(probe.function("resync"));
        host.putRule(new ScheduleRule("resync-every-minute", "resync", Duration.ofMillis(200)));
        host.start();

        eventually(() -> assertThat(probe.invocations).hasSizeGreaterThanOrEqualTo(3));
        List<ScheduledEvent> events = probe.events(ScheduledEvent.class);
        ScheduledEvent event = events.getFirst();
        assertThat(event.getSource()).isEqualTo("aws.events");
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(event.getVersion()).isEqualTo("0");
        assertThat(event.getAccount()).isEqualTo("000000000000");
        assertThat(event.getRegion()).isEqualTo("us-east-1");
        assertThat(event.getResources())
                .containsExactly("arn:aws:events:us-east-1:000000000000:rule/resync-every-minute");
        assertThat(event.getDetail()).isEmpty();
        assertThat(event.getTime().getZone()).isEqualTo(DateTimeZone.UTC);
        assertThat(event.getTime().getMillisOfSecond()).isZero();
        assertThat(events).extracting(ScheduledEvent::getId).doesNotHaveDuplicates();
    }

    @Test
    void aFailingTickDoesNotStopLaterOnesAndCloseStopsThem() {
        probe.behaviour = (event, context) -> {
            throw new IllegalStateException("tick failed");
        };
        host.createFunction(probe.function("flaky"));
        host.putRule(new ScheduleRule("flaky-rule", "flaky", Duration.ofMillis(100)));
        host.start();

        eventually(() -> assertThat(probe.invocations).hasSizeGreaterThanOrEqualTo(3));
        host.close();
        int afterClose = probe.invocations.size();
        sleep(Duration.ofMillis(400));

        assertThat(probe.invocations).hasSize(afterClose);
        assertThat(LocalLambdaHostTest.liveThreadsNamed("schedule-flaky-rule")).isZero();
    }
}
