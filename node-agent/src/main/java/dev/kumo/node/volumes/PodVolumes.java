package dev.kumo.node.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's pod volumes, as the kubelet's volume manager sets them up before a pod's containers start: each under
 * {@code <root>/<pod uid>/kubernetes.io~<plugin>/<volume>} ({@code emptyDir}, {@code configMap}, {@code secret},
 * {@code downwardAPI}, {@code projected}), or the host's own path ({@code hostPath}). API-backed contents are
 * written again at most every minute (the kubelet's sync period), so that updated ConfigMaps and Secrets and
 * refreshed service-account tokens reach running containers.
 */
public final class PodVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(PodVolumes.class);
    static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);
    private static final Set<String> API_BACKED = Set.of("configMap", "secret", "downwardAPI", "projected");

    private record SetUp(Map<String, MountedVolume> volumes, Instant at) {
    }

    private final Path root;
    private final Clock clock;
    private final ServiceAccountTokens tokens;
    private final VolumePayloads payloads;
    private final Map<String, SetUp> setUps = new ConcurrentHashMap<>();

    /** {@code api} (the node's client, or null) is where ConfigMaps, Secrets and tokens come from. */
    public PodVolumes(Path root, KubeClient api, Clock clock) {
        this.root = root;
        this.clock = clock;
        this.tokens = new ServiceAccountTokens(api, clock);
        this.payloads = new VolumePayloads(new ApiObjectData(api), tokens);
    }

    /** The pod's volumes by name, set up (or refreshed when due); the first failure to set one up is thrown. */
    public Map<String, MountedVolume> setUp(ObjectNode pod) throws VolumeError {
        String uid = Meta.uid(pod);
        SetUp previous = setUps.get(uid);
        Instant now = clock.instant();
        if (previous != null && now.isBefore(previous.at().plus(REFRESH_INTERVAL))) {
            return previous.volumes();
        }
        Map<String, MountedVolume> volumes = new LinkedHashMap<>();
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            String name = volume.path("name").asText();
            volumes.put(name, setUpOrKeep(pod, name, volume));
        }
        setUps.put(uid, new SetUp(volumes, now));
        return volumes;
    }

    /**
     * One volume set up; when that fails but content written earlier is there (a refresh, or an agent that
     * restarted while the pod ran), the containers keep the old content, as in the kubelet.
     */
    private MountedVolume setUpOrKeep(ObjectNode pod, String name, JsonNode volume) throws VolumeError {
        String kind = sourceKind(volume);
        try {
            return setUp(pod, name, kind, volume.path(kind));
        } catch (VolumeError | IOException e) {
            Path directory = directory(Meta.uid(pod), kind, name);
            if (API_BACKED.contains(kind) && Files.isSymbolicLink(directory.resolve(AtomicWriter.DATA_DIR))) {
                LOG.atWarn().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod))
                        .addKeyValue("volume", name).addKeyValue("error", e.getMessage())
                        .log("refreshing a volume failed: its containers keep the content written before");
                return new MountedVolume(directory, true);
            }
            throw VolumeError.setUpFailed(name, e instanceof VolumeError ? e.getMessage() : e.toString());
        }
    }

    private MountedVolume setUp(ObjectNode pod, String name, String kind, JsonNode source)
            throws VolumeError, IOException {
        if (kind.equals("hostPath")) {
            return new MountedVolume(HostPathVolume.setUp(source.path("path").asText(),
                    source.path("type").asText("")), false);
        }
        Path directory = directory(Meta.uid(pod), kind, name);
        if (kind.equals("emptyDir")) {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                // emptyDir is world-writable so that containers running as any user can share it
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            return new MountedVolume(directory, false);
        }
        if (!API_BACKED.contains(kind)) {
            throw new VolumeError(kind + " volumes are not supported by kumo's node agent");
        }
        if (new AtomicWriter(directory, clock).write(payloads.of(pod, kind, source))) {
            LOG.atInfo().addKeyValue("pod", Meta.namespace(pod) + "/" + Meta.name(pod)).addKeyValue("volume", name)
                    .addKeyValue("kind", kind).log("wrote volume content");
        }
        return new MountedVolume(directory, true);
    }

    /** The volume's source: the one field of a {@code spec.volumes} entry besides its name. */
    static String sourceKind(JsonNode volume) throws VolumeError {
        for (Iterator<String> fields = volume.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!field.equals("name")) {
                return field;
            }
        }
        throw new VolumeError("volume " + volume.path("name").asText() + " has no source");
    }

    /** The kubelet's plugin directory names: {@code kubernetes.io~configmap}, {@code kubernetes.io~empty-dir}, … */
    private Path directory(String podUid, String kind, String name) {
        String plugin = switch (kind) {
            case "emptyDir" -> "empty-dir";
            case "configMap" -> "configmap";
            case "downwardAPI" -> "downward-api";
            default -> kind.toLowerCase();
        };
        return root.resolve(podUid).resolve("kubernetes.io~" + plugin).resolve(name);
    }

    /** Removes the pod's volume directories (never a hostPath: those are the host's) and forgets its tokens. */
    public void tearDown(String podUid) throws IOException {
        setUps.remove(podUid);
        tokens.forget(podUid);
        AtomicWriter.deleteRecursively(root.resolve(podUid));
    }
}
