package dev.kumo.cloud.local;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceCapacity;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.InstanceState;
import dev.kumo.cloud.Instances;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The local provider's instances: each is a node agent of this machine, named {@code <pool>-<n>}. This class is
 * the cloud's API side: it records instances ({@link LocalInstanceStore}); the local cluster's instance supervisor
 * boots an agent for each pending or running record and stops the agents of terminated ones, as a hypervisor would.
 * Launch is idempotent by client token; terminating an unknown or terminated instance is not an error.
 */
public final class LocalInstances implements Instances {
    /** The setting (a loop function's environment) naming the instances directory. */
    public static final String ENV_DIRECTORY = "KUMO_LOCAL_INSTANCES_DIR";
    /** Every local instance is in this one zone unless the request names another. */
    public static final String ZONE = "local-1a";
    private static final Logger LOG = LoggerFactory.getLogger(LocalInstances.class);

    private final LocalInstanceStore store;

    public LocalInstances(LocalInstanceStore store) {
        this.store = store;
    }

    /** Instances numbered on no node network ({@link NodeAddressing#UNROUTED}): for agents that are simulated. */
    public LocalInstances(Path directory) {
        this(directory, NodeAddressing.UNROUTED);
    }

    public LocalInstances(Path directory, NodeAddressing addressing) {
        this(new LocalInstanceStore(directory, addressing, Clock.systemUTC()));
    }

    public LocalInstanceStore store() {
        return store;
    }

    @Override
    public Instance launch(InstanceRequest request) throws CloudException {
        LocalInstanceRecord record = store.launch(request);
        LOG.atInfo().addKeyValue("instance", record.name()).addKeyValue("nodePool", record.nodePool())
                .addKeyValue("instanceType", record.instanceType()).addKeyValue("clientToken", request.clientToken())
                .addKeyValue("state", record.state()).log("local instance launched");
        return record.toInstance();
    }

    @Override
    public List<Instance> list() {
        return store.all().stream().filter(r -> r.state() != InstanceState.TERMINATED)
                .map(LocalInstanceRecord::toInstance).toList();
    }

    @Override
    public Optional<Instance> find(String providerId) {
        return nameOf(providerId).flatMap(store::find).filter(r -> r.state() != InstanceState.TERMINATED)
                .map(LocalInstanceRecord::toInstance);
    }

    @Override
    public void terminate(String providerId) throws CloudException {
        Optional<String> name = nameOf(providerId);
        if (name.isEmpty()) {
            return;
        }
        Optional<LocalInstanceRecord> record = store.transition(name.get(), state -> state != InstanceState.TERMINATED,
                InstanceState.TERMINATED);
        record.ifPresent(r -> LOG.atInfo().addKeyValue("instance", r.name()).addKeyValue("nodePool", r.nodePool())
                .log("local instance terminated"));
    }

    @Override
    public Optional<InstanceCapacity> capacity(String instanceType) {
        return LocalInstanceTypes.find(instanceType).map(type ->
                new InstanceCapacity(type.cpu(), type.memory(), type.ephemeralStorage(), type.pods()));
    }

    /** The instance name of a {@code kumo-local:///<name>} provider id; empty for another provider's. */
    static Optional<String> nameOf(String providerId) {
        String prefix = LocalInstanceRecord.PROVIDER + ":///";
        if (providerId == null || !providerId.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = providerId.substring(prefix.length());
        return Optional.of(rest.substring(rest.lastIndexOf('/') + 1));
    }
}
