package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns store changes into the keys of the loops that care (the one reader of the store's stream does this for
 * every loop, so each loop needs no stream reader of its own). Pure: the same changes always give the same
 * deliveries, which is what makes a stream batch read twice harmless. A mapper that throws is a bug no retry can
 * fix (the same change gives the same throw): it is logged as an error with the change it failed on, and the other
 * loops still get their keys, instead of the stream retrying the record until it is dropped for every loop.
 */
public final class FanOut {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private final Map<String, KeyMapper> mappers;

    /** @param mappers each loop's key mapper, by loop name */
    public FanOut(Map<String, KeyMapper> mappers) {
        this.mappers = new LinkedHashMap<>(mappers);
    }

    public List<Delivery> deliveries(WatchEvent change) {
        List<Delivery> deliveries = new ArrayList<>();
        // Revisions count per resource (each resource has its own log): a replica set's r7 and its deployment's
        // r7 are different changes, and both may key the deployment, so the cause names the resource too.
        String cause = change.key().resource() + "@r" + change.revision();
        mappers.forEach((loop, mapper) -> {
            List<ObjectKey> keys;
            try {
                keys = mapper.keysFor(change);
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).addKeyValue("loop", loop).addKeyValue("key", change.key().toString())
                        .addKeyValue("type", change.type()).addKeyValue("revision", change.revision())
                        .log("the loop's key mapper failed on this change: the loop misses it until its resync");
                return;
            }
            for (ObjectKey key : new LinkedHashSet<>(keys)) {
                deliveries.add(new Delivery(loop, key, cause));
            }
        });
        return deliveries;
    }
}
