package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invokes a function at a fixed rate with the {@link ScheduledEvent} EventBridge sends for a scheduled rule. A tick
 * that is due while the previous invocation still runs waits for it, so ticks of one rule never overlap.
 */
public final class ScheduledTick implements LocalEventSource {

    private static final Logger log = LoggerFactory.getLogger(ScheduledTick.class);

    private final ScheduleRule rule;
    private final LocalFunction function;
    private final AwsLocation location;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean started = new AtomicBoolean();

    public ScheduledTick(ScheduleRule rule, LocalFunction function, AwsLocation location) {
        this(rule, function, location, Clock.systemUTC());
    }

    ScheduledTick(ScheduleRule rule, LocalFunction function, AwsLocation location, Clock clock) {
        function.requireName(rule.functionName(), "Rule " + rule.ruleName());
        this.rule = rule;
        this.function = function;
        this.location = location;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.named("schedule-" + rule.ruleName()));
    }

    public ScheduleRule rule() {
        return rule;
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("Already started: " + rule.ruleName());
        }
        long period = rule.rate().toMillis();
        scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
        log.atInfo().addKeyValue("function", function.functionName()).addKeyValue("rule", rule.ruleName())
                .addKeyValue("rate", rule.rate()).log("Schedule started");
    }

    private void tick() {
        ScheduledEvent event = event(clock.instant());
        try {
            function.invoke(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TooManyRequestsException | FunctionErrorException e) {
            // The failure itself is logged by the function; the next tick comes at its time regardless.
            log.atWarn().addKeyValue("function", function.functionName()).addKeyValue("rule", rule.ruleName())
                    .addKeyValue("eventId", event.getId()).log("Scheduled invocation failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            // An exception escaping a scheduled task would silently cancel every later tick.
            log.atError().addKeyValue("function", function.functionName()).addKeyValue("rule", rule.ruleName())
                    .setCause(e).log("Scheduled invocation could not be made");
        }
    }

    /** The event EventBridge sends: whole-second UTC time, the rule's ARN as the only resource, an empty detail. */
    ScheduledEvent event(Instant now) {
        return new ScheduledEvent()
                .withVersion("0")
                .withId(UUID.randomUUID().toString())
                .withDetailType("Scheduled Event")
                .withSource("aws.events")
                .withAccount(location.accountId())
                .withTime(new DateTime(now.truncatedTo(ChronoUnit.SECONDS).toEpochMilli(), DateTimeZone.UTC))
                .withRegion(location.region())
                .withResources(List.of(location.ruleArn(rule.ruleName())))
                .withDetail(Map.of());
    }

    @Override
    public void close() {
        Threads.shutdown(scheduler, "schedule " + rule.ruleName(), log);
        log.atInfo().addKeyValue("function", function.functionName()).addKeyValue("rule", rule.ruleName())
                .log("Schedule stopped");
    }
}
