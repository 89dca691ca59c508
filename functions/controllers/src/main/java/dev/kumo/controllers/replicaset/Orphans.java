package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds a controller for an orphan (an object with no controller reference) among the controllers of its
 * namespace whose selector matches it: the oldest that is not being deleted adopts it. Kubernetes lets whichever
 * controller syncs first adopt; oldest first gives the same answer on every run. The adoption changes the orphan,
 * and that change brings the adopter's own sync, which counts it.
 */
public final class Orphans {
    private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);

    private Orphans() {
    }

    /**
     * Adopts {@code namespace/name} if it is still an orphan and {@code eligible}; true if adopted. The controllers
     * are read first: a namespace without any (bare pods) needs no read of the orphan. A controller created after
     * that read adopts the orphan in its own sync, as it claims every orphan its selector matches.
     */
    public static boolean adopt(KubeClient client, ControllerRefManager.Kinds adoption, String namespace, String name,
                                Predicate<ObjectNode> eligible) {
        List<ObjectNode> controllers = client.list(adoption.controllers(), namespace, "", "").stream()
                .filter(controller -> !Meta.isBeingDeleted(controller)).toList();
        if (controllers.isEmpty()) {
            return false;
        }
        Optional<ObjectNode> found = client.get(adoption.dependents(), namespace, name);
        if (found.isEmpty() || !eligible.test(found.get()) || OwnerReferences.controllerOf(found.get()).isPresent()) {
            return false;
        }
        ObjectNode orphan = found.get();
        List<ObjectNode> candidates = controllers.stream()
                .filter(controller -> Selectors.selects(controller, orphan))
                .sorted(Comparator.comparing((ObjectNode c) -> Pods.creationTimestamp(c).orElse(Instant.MAX))
                        .thenComparing(Meta::name))
                .toList();
        ObjectNode current = orphan;
        for (ObjectNode controller : candidates) {
            if (!new ControllerRefManager(client, adoption, controller, Selectors.orNothing(controller))
                    .claim(List.of(current)).isEmpty()) {
                return true;
            }
            Optional<ObjectNode> fresh = client.get(adoption.dependents(), namespace, name);
            if (fresh.isEmpty() || OwnerReferences.controllerOf(fresh.get()).isPresent()) {
                return false; // gone, or adopted by someone else meanwhile
            }
            current = fresh.get();
        }
        LOG.atDebug().addKeyValue(adoption.dependents().plural(), namespace + "/" + name)
                .addKeyValue("candidates", candidates.size()).log("orphan checked");
        return false;
    }
}
