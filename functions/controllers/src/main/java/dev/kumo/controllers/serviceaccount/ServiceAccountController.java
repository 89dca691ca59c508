package dev.kumo.controllers.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.client.RootCaBundle;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.PeriodicResync;
import dev.kumo.controllers.runtime.ResyncSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-controller-manager's service-account controllers as one loop: the serviceaccounts controller (a
 * {@code default} ServiceAccount in every active namespace), the root-ca-cert-publisher (ConfigMap
 * {@code kube-root-ca.crt}) and the legacy token controller's checks (see {@link LegacyTokenSecrets}; the API server
 * signs). Keys:
 * <ul>
 *   <li>{@code namespaces/<name>}: an active namespace added or changed, its {@code default} ServiceAccount deleted,
 *   its {@code kube-root-ca.crt} changed or deleted;</li>
 *   <li>{@code secrets/<ns>/<name>}: a Secret added or changed (by key only: the fan-out does not decrypt secrets, so
 *   the type is read by the reconciler);</li>
 *   <li>{@code serviceaccounts/<ns>/<name>}: a ServiceAccount added or deleted, for the token Secrets that name it.</li>
 * </ul>
 * Resync, every {@link #RESYNC}: the active namespaces and the token Secrets. The API server still makes the default
 * ServiceAccount and the ConfigMap in-process when a namespace is created, so that the namespace's first pods find
 * their account at once; this loop is what repairs them later.
 */
public final class ServiceAccountController {
    public static final String NAME = "serviceaccount";
    public static final String COMPONENT = "serviceaccount-controller";
    public static final Duration RESYNC = Duration.ofMinutes(30);
    /** The store resources of the keys (constants, for switches; {@code ResourceType.storageResource()}). */
    static final String NAMESPACES = "namespaces";
    static final String SECRETS = "secrets";
    static final String SERVICE_ACCOUNTS = "serviceaccounts";
    static final String CONFIG_MAPS = "configmaps";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountController.class);

    private ServiceAccountController() {
    }

    /** The loop with the CA bundle its settings name ({@link RootCaBundle}); without one, no ConfigMap. */
    public static ControlLoop loop(ControllerContext context) {
        return loop(context, RootCaBundle.fromEnvironment(context.settings()));
    }

    /** @param rootCaBundle PEM certificates clients should trust for the API; empty publishes no ConfigMap */
    public static ControlLoop loop(ControllerContext context, String rootCaBundle) {
        if (rootCaBundle.isEmpty()) {
            LOG.atWarn().log("no root CA bundle configured: ConfigMap kube-root-ca.crt is not published");
        }
        return new ControlLoop(NAME, keys(), new ServiceAccountReconciler(context.client(), rootCaBundle),
                new PeriodicResync(context.clock(), RESYNC, resync(context.client())));
    }

    /** The loop's key mapper, which needs no API client (the fan-out runs it). */
    public static KeyMapper keys() {
        return change -> {
            ObjectKey key = change.key();
            ObjectNode object = change.object();
            boolean deleted = change.type() == WatchEvent.Type.DELETED;
            ObjectKey namespaceKey = ObjectKey.cluster(NAMESPACES, key.namespace());
            return switch (key.resource()) {
                case NAMESPACES -> !deleted && object != null && !Meta.isBeingDeleted(object) ? List.of(key)
                        : List.of();
                case SERVICE_ACCOUNTS -> {
                    List<ObjectKey> keys = new ArrayList<>();
                    if (change.type() != WatchEvent.Type.MODIFIED) {
                        keys.add(key);
                    }
                    if (deleted && key.name().equals(DefaultServiceAccounts.DEFAULT)) {
                        keys.add(namespaceKey);
                    }
                    yield keys;
                }
                case CONFIG_MAPS -> key.name().equals(RootCaConfigMaps.NAME) ? List.of(namespaceKey) : List.of();
                case SECRETS -> deleted ? List.of() : List.of(key);
                default -> List.of();
            };
        };
    }

    private static ResyncSource resync(KubeClient client) {
        return () -> {
            List<ObjectKey> keys = new ArrayList<>();
            for (ObjectNode namespace : client.list(ResourceType.NAMESPACES, "", "", "status.phase=Active")) {
                keys.add(ObjectKey.cluster(NAMESPACES, Meta.name(namespace)));
            }
            for (ObjectNode secret : client.list(ResourceType.SECRETS, "", "", "type=" + LegacyTokenSecrets.TYPE)) {
                keys.add(new ObjectKey(SECRETS, Meta.namespace(secret), Meta.name(secret)));
            }
            return keys;
        };
    }

    /** A create that lost to another, or to the namespace going away: nothing left to do. */
    static boolean createLostHarmlessly(ApiError e) {
        return e.code() == 409 || e.isNotFound() || e.code() == 403 && e.hasCause("NamespaceTerminating");
    }
}
