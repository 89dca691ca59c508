package dev.kumo.apimachinery.store.dynamodb;

import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.kumo.apimachinery.store.dynamodb.Objects.configMap;
import static dev.kumo.apimachinery.store.dynamodb.Objects.key;
import static dev.kumo.apimachinery.store.dynamodb.Objects.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoStoreListTest {
    private final DynamoStore store = LocalDynamo.store(LocalDynamo.freshTables());

    @Test
    void listsOneNamespaceOrAllInKeyOrderAtTheLatestRevision() {
        store.create(key("b", "x"), configMap("b", "x", "1"));
        store.create(key("a", "y"), configMap("a", "y", "1"));
        store.create(key("a", "x"), configMap("a", "x", "1"));

        ListPage all = store.list("configmaps", ListOptions.all(""));
        ListPage onlyA = store.list("configmaps", ListOptions.all("a"));

        assertThat(names(all.items())).containsExactly("a/x", "a/y", "b/x");
        assertThat(all.revision()).isEqualTo(3);
        assertThat(names(onlyA.items())).containsExactly("a/x", "a/y");
    }

    @Test
    void pagesStayAtTheFirstPagesRevisionWhileWritesGoOn() {
        for (int i = 0; i < 5; i++) {
            store.create(key("ns", "cm" + i), configMap("ns", "cm" + i, "old"));
        }
        ListPage first = store.list("configmaps", new ListOptions("ns", 2, null, 0, null));
        assertThat(names(first.items())).containsExactly("ns/cm0", "ns/cm1");
        assertThat(first.continueToken()).isNotNull();

        // Between pages: one object of the second page changes, one is deleted, one is created.
        StoredObject cm2 = store.get(key("ns", "cm2")).orElseThrow();
        store.update(key("ns", "cm2"), configMap("ns", "cm2", "new"), cm2.revision());
        store.delete(key("ns", "cm3"), 0);
        store.create(key("ns", "cm31"), configMap("ns", "cm31", "new"));

        List<StoredObject> rest = new ArrayList<>();
        String token = first.continueToken();
        while (token != null) {
            ListPage page = store.list("configmaps", new ListOptions("ns", 2, token, 0, null));
            assertThat(page.revision()).isEqualTo(first.revision());
            rest.addAll(page.items());
            token = page.continueToken();
        }
        assertThat(names(rest)).containsExactly("ns/cm2", "ns/cm3", "ns/cm4");
        assertThat(rest).allSatisfy(item -> assertThat(valueOf(item.value())).isEqualTo("old"));
    }

    @Test
    void listAtAnExactOlderRevisionShowsThatState() {
        StoredObject a = store.create(key("ns", "a"), configMap("ns", "a", "v1"));
        long before = store.currentRevision("configmaps");
        store.update(key("ns", "a"), configMap("ns", "a", "v2"), a.revision());
        store.create(key("ns", "b"), configMap("ns", "b", "v1"));

        ListPage then = store.list("configmaps", new ListOptions("", 0, null, before, null));

        assertThat(names(then.items())).containsExactly("ns/a");
        assertThat(valueOf(then.items().get(0).value())).isEqualTo("v1");
    }

    @Test
    void filterAppliesBeforeTheLimit() {
        for (int i = 0; i < 6; i++) {
            store.create(key("ns", "cm" + i), configMap("ns", "cm" + i, i % 2 == 0 ? "even" : "odd"));
        }
        ListPage page = store.list("configmaps",
                new ListOptions("", 2, null, 0, o -> valueOf(o).equals("odd")));

        assertThat(names(page.items())).containsExactly("ns/cm1", "ns/cm3");
    }

    @Test
    void aRevisionAheadOfTheStoreIsRejected() {
        store.create(key("ns", "a"), configMap("ns", "a", "1"));

        assertThatThrownBy(() -> store.list("configmaps", new ListOptions("", 0, null, 99, null)))
                .isInstanceOf(StoreException.RevisionTooLarge.class);
    }

    @Test
    void aForgedContinueTokenIsRejected() {
        assertThatThrownBy(() -> store.list("configmaps", new ListOptions("", 1, "bm90IGEgdG9rZW4", 0, null)))
                .isInstanceOf(StoreException.InvalidContinue.class);
    }

    static List<String> names(List<StoredObject> items) {
        return items.stream().map(item -> item.key().storageKey()).toList();
    }
}
