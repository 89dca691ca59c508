package dev.kumo.local.instances;

import dev.kumo.cloud.InstanceState;
import dev.kumo.cloud.local.LocalInstanceRecord;
import dev.kumo.cloud.local.LocalInstanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The local provider's hypervisor: keeps the running agents in line with the instance records. A pending or running
 * instance without an agent gets one (then the record is running); an agent whose instance was terminated is
 * stopped. It looks every {@code period}, and once at start, so a restarted cluster boots the instances it had. A
 * boot that fails is logged and tried again at the next look.
 */
public final class InstanceSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceSupervisor.class);

    private final LocalInstanceStore store;
    private final AgentLauncher launcher;
    private final Set<String> booting = ConcurrentHashMap.newKeySet();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kumo-instance-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService boots = Executors.newVirtualThreadPerTaskExecutor();

    public InstanceSupervisor(LocalInstanceStore store, AgentLauncher launcher) {
        this.store = store;
        this.launcher = launcher;
    }

    public InstanceSupervisor start(Duration period) {
        ticker.scheduleWithFixedDelay(this::syncLogged, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void syncLogged() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).addKeyValue("directory", store.directory())
                    .log("could not read the local instances");
        }
    }

    /** One look: boot what should run, stop what should not. */
    void sync() {
        List<LocalInstanceRecord> records = store.all();
        Set<String> wanted = records.stream().filter(r -> r.state() == InstanceState.PENDING
                || r.state() == InstanceState.RUNNING).map(LocalInstanceRecord::name).collect(Collectors.toSet());
        for (LocalInstanceRecord record : records) {
            if (wanted.contains(record.name()) && !running.contains(record.name()) && booting.add(record.name())) {
                boots.submit(() -> boot(record));
            }
        }
        for (String name : List.copyOf(running)) {
            if (!wanted.contains(name)) {
                launcher.stop(name);
                running.remove(name);
                LOG.atInfo().addKeyValue("instance", name).log("local instance's agent stopped");
            }
        }
    }

    private void boot(LocalInstanceRecord record) {
        long started = System.nanoTime();
        try {
            launcher.start(record);
            running.add(record.name());
            store.transition(record.name(), state -> state == InstanceState.PENDING, InstanceState.RUNNING);
            LOG.atInfo().addKeyValue("instance", record.name()).addKeyValue("nodePool", record.nodePool())
                    .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000)
                    .log("local instance's agent joined");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.atError().setCause(e).addKeyValue("instance", record.name()).log("local instance failed to boot");
        } finally {
            booting.remove(record.name());
        }
    }

    /** Stops looking and stops the agents; the records stay, so the next start boots them again. */
    @Override
    public void close() {
        ticker.shutdownNow();
        boots.shutdownNow();
        launcher.close();
        running.clear();
    }
}
