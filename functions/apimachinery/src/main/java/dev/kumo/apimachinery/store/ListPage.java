package dev.kumo.apimachinery.store;

import java.util.List;

/**
 * One page of a list: the items (ordered by namespace and name) as they were at {@code revision}, and the token
 * for the next page ({@code null} on the last page). A watch from {@code revision} continues without a gap.
 */
public record ListPage(List<StoredObject> items, long revision, String continueToken) {

    public ListPage {
        items = List.copyOf(items);
    }
}
