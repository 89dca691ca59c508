package dev.kumo.apiserver.admission.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.admission.AdmissionDenied;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.registry.Names;
import dev.kumo.apiserver.registry.WriteListener;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.strategy.Json;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kubernetes' ServiceAccount admission for pods on create: a pod without {@code spec.serviceAccountName} runs as
 * {@code default}; the service account must exist; unless the pod or its service account opts out with
 * {@code automountServiceAccountToken: false}, the projected volume {@code kube-api-access-<random>} (a bound token,
 * the cluster CA from the {@code kube-root-ca.crt} ConfigMap and the namespace) is added and mounted read-only at
 * {@value #TOKEN_MOUNT_PATH} in every container and init container that has nothing mounted there yet; the service
 * account's imagePullSecrets are copied to a pod that names none. Mirror pods may reference no service account or
 * secret. The shapes are Kubernetes' own: node agents read them.
 */
public final class ServiceAccountAdmission implements AdmissionPlugin, WriteListener {
    public static final String DEFAULT_SERVICE_ACCOUNT = "default";
    public static final String TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static final String VOLUME_PREFIX = "kube-api-access-";
    /** Kubernetes' WarnOnlyBoundTokenExpirationSeconds: one hour and seven seconds. */
    public static final int TOKEN_EXPIRATION_SECONDS = 3607;
    public static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    /** A found service account is trusted this long, as an informer cache would hold it. */
    static final Duration CACHE_FOR = Duration.ofSeconds(2);
    /** kube-apiserver looks the default service account up this often before giving up: its controller may lag. */
    static final int DEFAULT_ACCOUNT_ATTEMPTS = 10;

    private final Store store;
    private final Clock clock;
    private final Map<ObjectKey, Cached> found = new ConcurrentHashMap<>();

    private record Cached(ObjectNode serviceAccount, long untilMillis) {
    }

    public ServiceAccountAdmission(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (ignored(request)) {
            return;
        }
        ObjectNode pod = request.object();
        if (isMirrorPod(pod)) {
            return;
        }
        ObjectNode spec = Json.object(pod, "spec");
        if (spec.path("serviceAccountName").asText("").isEmpty()) {
            spec.put("serviceAccountName", DEFAULT_SERVICE_ACCOUNT);
            spec.put("serviceAccount", DEFAULT_SERVICE_ACCOUNT);
        }
        ObjectNode serviceAccount = serviceAccount(request, spec.path("serviceAccountName").asText());
        if (shouldAutomount(serviceAccount, spec)) {
            mountToken(spec);
        }
        if (spec.path("imagePullSecrets").isEmpty() && !serviceAccount.path("imagePullSecrets").isEmpty()) {
            ArrayNode pullSecrets = spec.putArray("imagePullSecrets");
            serviceAccount.path("imagePullSecrets").forEach(secret ->
                    pullSecrets.addObject().put("name", secret.path("name").asText("")));
        }
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (ignored(request)) {
            return;
        }
        ObjectNode pod = request.object();
        JsonNode spec = pod.path("spec");
        if (isMirrorPod(pod)) {
            validateMirrorPod(request, spec);
            return;
        }
        String name = spec.path("serviceAccountName").asText("");
        if (name.isEmpty()) {
            throw AdmissionDenied.of(request, "no service account specified for pod " + request.namespace() + "/"
                    + AdmissionDenied.nameOf(pod));
        }
        serviceAccount(request, name);
    }

    private static boolean ignored(AdmissionRequest request) {
        return !request.is("", "pods") || !request.subresource().isEmpty() || request.object() == null
                || request.operation() != AdmissionRequest.Operation.CREATE;
    }

    private static boolean isMirrorPod(JsonNode pod) {
        return pod.path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION);
    }

    /** The service account, or the 403 Kubernetes gives when it cannot be found. */
    private ObjectNode serviceAccount(AdmissionRequest request, String name) {
        ObjectKey key = new ObjectKey("serviceaccounts", request.namespace(), name);
        long now = clock.millis();
        Cached cached = found.get(key);
        if (cached != null && cached.untilMillis() > now) {
            return cached.serviceAccount();
        }
        int attempts = name.equals(DEFAULT_SERVICE_ACCOUNT) ? DEFAULT_ACCOUNT_ATTEMPTS : 1;
        long pauseMillis = 100 + ThreadLocalRandom.current().nextLong(100);
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Optional<ObjectNode> serviceAccount = store.get(key).map(stored -> stored.value());
            if (serviceAccount.isPresent()) {
                if (found.size() > 10_000) {
                    found.values().removeIf(entry -> entry.untilMillis() <= now);
                }
                found.put(key, new Cached(serviceAccount.get(), now + CACHE_FOR.toMillis()));
                return serviceAccount.get();
            }
            if (attempt < attempts) {
                pause(pauseMillis);
            }
        }
        throw AdmissionDenied.of(request, "error looking up service account " + request.namespace() + "/" + name
                + ": serviceaccount \"" + name + "\" not found");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the default service account", e);
        }
    }

    /** The pod's choice wins, then the service account's; by default the token is mounted. */
    static boolean shouldAutomount(JsonNode serviceAccount, JsonNode spec) {
        if (spec.path("automountServiceAccountToken").isBoolean()) {
            return spec.path("automountServiceAccountToken").asBoolean();
        }
        if (serviceAccount.path("automountServiceAccountToken").isBoolean()) {
            return serviceAccount.path("automountServiceAccountToken").asBoolean();
        }
        return true;
    }

    private static void mountToken(ObjectNode spec) {
        String volumeName = null;
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.path("name").asText("").startsWith(VOLUME_PREFIX)) {
                volumeName = volume.path("name").asText();
                break;
            }
        }
        boolean hasVolume = volumeName != null;
        if (!hasVolume) {
            volumeName = Names.generate(VOLUME_PREFIX);
        }
        boolean needsVolume = false;
        for (String list : new String[]{"initContainers", "containers"}) {
            for (ObjectNode container : Json.objects(spec, list)) {
                boolean mounted = false;
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (mount.path("mountPath").asText("").equals(TOKEN_MOUNT_PATH)) {
                        mounted = true;
                        break;
                    }
                }
                if (!mounted) {
                    JsonNode mounts = container.get("volumeMounts");
                    ArrayNode array = mounts instanceof ArrayNode a ? a : container.putArray("volumeMounts");
                    array.addObject().put("name", volumeName).put("readOnly", true)
                            .put("mountPath", TOKEN_MOUNT_PATH);
                    needsVolume = true;
                }
            }
        }
        if (!hasVolume && needsVolume) {
            JsonNode volumes = spec.get("volumes");
            ArrayNode array = volumes instanceof ArrayNode a ? a : spec.putArray("volumes");
            array.add(tokenVolume(volumeName));
        }
    }

    /** Kubernetes' {@code TokenVolumeSource}: token, cluster CA and namespace in one projected volume. */
    public static ObjectNode tokenVolume(String name) {
        ObjectNode volume = JsonNodeFactory.instance.objectNode().put("name", name);
        ObjectNode projected = volume.putObject("projected");
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS)
                .put("path", "token");
        ObjectNode configMap = sources.addObject().putObject("configMap").put("name", ROOT_CA_CONFIG_MAP);
        configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        sources.addObject().putObject("downwardAPI").putArray("items").addObject().put("path", "namespace")
                .putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        projected.put("defaultMode", 420);
        return volume;
    }

    private static void validateMirrorPod(AdmissionRequest request, JsonNode spec) {
        if (!spec.path("serviceAccountName").asText("").isEmpty()) {
            throw AdmissionDenied.of(request, "a mirror pod may not reference service accounts");
        }
        if (SecretReferences.any(spec)) {
            throw AdmissionDenied.of(request, "a mirror pod may not reference secrets");
        }
        for (JsonNode volume : spec.path("volumes")) {
            for (JsonNode source : volume.path("projected").path("sources")) {
                if (source.has("serviceAccountToken")) {
                    throw AdmissionDenied.of(request,
                            "a mirror pod may not use ServiceAccountToken volume projections");
                }
            }
        }
    }

    /** A service account changed or deleted here is read again, not taken from the cache. */
    private void forget(ResourceDefinition def, ObjectNode serviceAccount) {
        if (def.group().isEmpty() && def.plural().equals("serviceaccounts")) {
            found.remove(new ObjectKey("serviceaccounts", Meta.namespace(serviceAccount), Meta.name(serviceAccount)));
        }
    }

    @Override
    public void updated(ResourceDefinition def, ObjectNode object, ObjectNode old) {
        forget(def, object);
    }

    @Override
    public void deleted(ResourceDefinition def, ObjectNode object) {
        forget(def, object);
    }
}
