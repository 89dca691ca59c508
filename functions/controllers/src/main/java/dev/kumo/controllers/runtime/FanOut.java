package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns store changes into the keys of the loops that care (the one reader of the store's stream does this for
 * every loop, so each loop needs no stream reader of its own). Pure: the same changes always give the same
 * deliveries, which is what makes a stream batch read twice harmless.
 */
public final class FanOut {
    private final Map<String, KeyMapper> mappers;

    /** @param mappers each loop's key mapper, by loop name */
    public FanOut(Map<String, KeyMapper> mappers) {
        this.mappers = new LinkedHashMap<>(mappers);
    }

    public List<Delivery> deliveries(WatchEvent change) {
        List<Delivery> deliveries = new ArrayList<>();
        String cause = "r" + change.revision();
        mappers.forEach((loop, mapper) -> {
            for (ObjectKey key : new LinkedHashSet<>(mapper.keysFor(change))) {
                deliveries.add(new Delivery(loop, key, cause));
            }
        });
        return deliveries;
    }
}
