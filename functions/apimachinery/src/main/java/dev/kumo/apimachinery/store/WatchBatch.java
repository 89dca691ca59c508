package dev.kumo.apimachinery.store;

import java.util.List;

/**
 * What one poll of the event log returned: the events in revision order and the highest revision the poll
 * covered. {@code throughRevision} may be above the last event's (filled gaps and revisions of other objects
 * count too); a watcher resumes after it and may report it as a bookmark.
 */
public record WatchBatch(List<WatchEvent> events, long throughRevision) {

    public WatchBatch {
        events = List.copyOf(events);
    }
}
