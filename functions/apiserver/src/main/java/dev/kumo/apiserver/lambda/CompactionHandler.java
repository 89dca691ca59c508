package dev.kumo.apiserver.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apiserver.resources.BuiltinResources;
import dev.kumo.apiserver.resources.ResourceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compacts every resource's event log on a schedule, as kube-apiserver asks etcd to every five minutes: history
 * older than the retention ({@code KUMO_COMPACTION_RETENTION_SECONDS}, default 300) goes, and watches or lists
 * from before it answer 410 Gone. Triggered by a scheduled rule (EventBridge in AWS, the local host's tick).
 */
public final class CompactionHandler implements RequestHandler<ScheduledEvent, String> {
    public static final String ENV_RETENTION_SECONDS = "KUMO_COMPACTION_RETENTION_SECONDS";
    private static final Logger LOG = LoggerFactory.getLogger(CompactionHandler.class);

    private final DynamoStore store;
    private final Duration retention;
    private final Set<String> resources = new TreeSet<>();

    public CompactionHandler() {
        this(System.getenv());
    }

    public CompactionHandler(Map<String, String> environment) {
        this.store = ServerFactory.store(environment, new ObjectMapper());
        this.retention = Duration.ofSeconds(Long.parseLong(environment.getOrDefault(ENV_RETENTION_SECONDS, "300")));
        BuiltinResources.create(Clock.systemUTC()).all().stream().filter(ResourceDefinition::stored)
                .map(ResourceDefinition::storageResource).forEach(resources::add);
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        int compacted = 0;
        for (String resource : resources) {
            long before = store.compactedRevision(resource);
            long after = store.compactOlderThan(resource, retention);
            if (after > before) {
                compacted++;
                LOG.atInfo().addKeyValue("resource", resource).addKeyValue("compactedRevision", after)
                        .log("compacted the event log");
            }
        }
        return "compacted " + compacted + " of " + resources.size() + " resources";
    }
}
