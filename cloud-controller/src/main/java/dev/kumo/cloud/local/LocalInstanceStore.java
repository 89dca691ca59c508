package dev.kumo.cloud.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.InstanceState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The local instances' records: one JSON file per instance in a directory under the cluster home, so a restarted
 * cluster sees the instances it had (and starts their agents again). Writes replace a file atomically and happen
 * under a lock held both within this JVM and across processes (a file lock), so that parallel launches with one
 * client token record one instance. Terminated instances keep their records: their client tokens and ordinals are
 * never given out again, as EC2 keeps answering a token with the instance it launched.
 */
public final class LocalInstanceStore {
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path directory;
    private final NodeAddressing addressing;
    private final Clock clock;

    /** Records in {@code directory}; new instances get their address and pod CIDR from {@code addressing}. */
    public LocalInstanceStore(Path directory, NodeAddressing addressing, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.addressing = addressing;
        this.clock = clock;
    }

    public Path directory() {
        return directory;
    }

    /** Every record, terminated ones too. */
    public List<LocalInstanceRecord> all() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<LocalInstanceRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                records.add(MAPPER.readValue(file.toFile(), LocalInstanceRecord.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local instances in " + directory, e);
        }
        records.sort(Comparator.comparing(LocalInstanceRecord::name));
        return records;
    }

    public Optional<LocalInstanceRecord> find(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The instance launched with the request's client token, or a new PENDING one. */
    public LocalInstanceRecord launch(InstanceRequest request) throws CloudException {
        LocalInstanceTypes.InstanceType type = LocalInstanceTypes.find(request.instanceType()).orElseThrow(() ->
                new CloudException("InvalidParameterValue: the local provider has no instance type \""
                        + request.instanceType() + "\" (it has " + String.join(", ",
                        LocalInstanceTypes.all().keySet().stream().sorted().toList()) + ")", false));
        return locked(() -> {
            List<LocalInstanceRecord> records = all();
            Optional<LocalInstanceRecord> earlier = records.stream()
                    .filter(r -> r.clientToken().equals(request.clientToken())).findFirst();
            if (earlier.isPresent()) {
                return earlier.get();
            }
            int ordinal = 1 + records.stream().filter(r -> r.nodePool().equals(request.nodePool()))
                    .mapToInt(LocalInstanceRecord::ordinal).max().orElse(0);
            int slot = freeSlot(records);
            int node = NodeAddressing.poolNode(slot);
            LocalInstanceRecord record = new LocalInstanceRecord(request.nodePool() + "-" + ordinal,
                    request.clientToken(), request.nodePool(), type.name(),
                    request.zone() == null ? LocalInstances.ZONE : request.zone(), InstanceState.PENDING, slot,
                    addressing.address(node), addressing.podCidr(node), request.nodeLabels(),
                    request.nodeTaints(), clock.instant().toString());
            write(record);
            return record;
        });
    }

    /**
     * A slot no live instance holds: one never used if any, else the one whose last instance was launched longest ago.
     * A terminated instance's Node outlives it by about a minute (node lifecycle's grace, then the cloud node
     * controller), and routes are kept by pod CIDR: a slot handed out again at once would give two Nodes one CIDR.
     */
    private static int freeSlot(List<LocalInstanceRecord> records) throws CloudException {
        Map<Integer, Instant> lastLaunch = new HashMap<>();
        Set<Integer> held = new HashSet<>();
        for (LocalInstanceRecord record : records) {
            lastLaunch.merge(record.slot(), Instant.parse(record.launchTime()), (a, b) -> a.isAfter(b) ? a : b);
            if (record.state() != InstanceState.TERMINATED) {
                held.add(record.slot());
            }
        }
        return IntStream.range(0, NodeAddressing.poolSlots()).boxed().filter(slot -> !held.contains(slot))
                .min(Comparator.comparing((Integer slot) -> lastLaunch.getOrDefault(slot, Instant.MIN))
                        .thenComparing(Comparator.naturalOrder()))
                .orElseThrow(() -> new CloudException("InsufficientInstanceCapacity: the local provider runs at most "
                        + NodeAddressing.poolSlots() + " pool instances", true));
    }

    /**
     * Moves the instance to {@code state} if its current state passes {@code from}; returns the record as it is
     * afterwards, or empty when there is no such instance.
     */
    public Optional<LocalInstanceRecord> transition(String name, Predicate<InstanceState> from, InstanceState state)
            throws CloudException {
        return locked(() -> {
            Optional<LocalInstanceRecord> record = find(name);
            if (record.isEmpty() || !from.test(record.get().state())) {
                return record;
            }
            LocalInstanceRecord moved = record.get().withState(state);
            write(moved);
            return Optional.of(moved);
        });
    }

    private interface LockedAction<T> {
        T run() throws CloudException;
    }

    private <T> T locked(LockedAction<T> action) throws CloudException {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(directory, d -> new ReentrantLock());
        jvmLock.lock();
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw new CloudException("the local instances in " + directory + " cannot be written: " + e, true, e);
        } finally {
            jvmLock.unlock();
        }
    }

    private void write(LocalInstanceRecord record) {
        Path target = directory.resolve(record.name() + ".json");
        Path temporary = directory.resolve("." + record.name() + ".json.tmp");
        try {
            MAPPER.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), record);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local instance " + target, e);
        }
    }
}
