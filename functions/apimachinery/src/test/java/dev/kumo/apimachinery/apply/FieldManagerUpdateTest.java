package dev.kumo.apimachinery.apply;

import static dev.kumo.apimachinery.TestJson.KUBERNETES;
import static dev.kumo.apimachinery.TestJson.json;
import static dev.kumo.apimachinery.apply.FieldManagerApplyTest.applied;
import static dev.kumo.apimachinery.apply.FieldManagerApplyTest.configMap;
import static dev.kumo.apimachinery.apply.FieldManagerApplyTest.deployment;
import static dev.kumo.apimachinery.apply.FieldManagerApplyTest.owned;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldManagerUpdateTest {

    private final TickingClock clock = new TickingClock(Instant.parse("2024-05-01T10:00:00Z"));
    private final FieldManager fields = new FieldManager(KUBERNETES, clock);

    @Test
    void aCreateGivesTheCreatorEverythingItSet() {
        ObjectNode created = fields.recordUpdate(null, configMap("{labels: {x: 'y'}}", "{a: '1'}"), "kubectl-create", "");

        assertThat(created.at("/metadata/managedFields")).isEqualTo(json("""
                [{manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z',
                  fieldsType: 'FieldsV1', fieldsV1: {
                    'f:data': {'.': {}, 'f:a': {}}, 'f:metadata': {'f:labels': {'.': {}, 'f:x': {}}}}}]"""));
        assertThat(created.at("/data")).isEqualTo(json("{a: '1'}"));
    }

    @Test
    void anUpdaterGainsWhatItChangedAndOthersLoseIt() {
        ObjectNode live = applied(fields.apply(null, deployment(3, "nginx"), "kubectl", false));
        ObjectNode scaled = live.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 5);

        ObjectNode updated = fields.recordUpdate(live, scaled, "hpa", "");

        FieldPath replicas = FieldPath.ofFields("spec", "replicas");
        assertThat(owned(updated, "hpa")).isEqualTo(FieldSet.of(replicas));
        assertThat(owned(updated, "kubectl").contains(replicas)).isFalse();
        assertThat(owned(updated, "kubectl").contains(FieldPath.ofFields("spec", "selector"))).isTrue();
        assertThat(updated.at("/spec/replicas").asInt()).isEqualTo(5);
    }

    @Test
    void everyoneLosesWhatAnUpdateRemoves() {
        ObjectNode live = applied(fields.apply(null, configMap("{labels: {a: '1', b: '2'}}", null), "alice", false));
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.at("/metadata/labels")).remove("a");

        ObjectNode updated = fields.recordUpdate(live, edited, "editor", "");

        assertThat(owned(updated, "alice")).isEqualTo(FieldSet.of(FieldPath.ofFields("metadata", "labels", "b")));
        assertThat(owned(updated, "editor").isEmpty()).as("removing gives nothing to own").isTrue();
    }

    @Test
    void aManagerAccumulatesItsChangesAndItsTimeMoves() {
        ObjectNode live = fields.recordUpdate(null, configMap(null, "{a: '1'}"), "editor", "");
        clock.advanceSeconds(60);
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.get("data")).put("b", "2");

        ObjectNode updated = fields.recordUpdate(live, edited, "editor", "");

        List<ManagedFieldsEntry> entries = ManagedFields.decode(updated.at("/metadata/managedFields"));
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).fields()).isEqualTo(FieldSet.of(FieldPath.ofFields("data"),
                FieldPath.ofFields("data", "a"), FieldPath.ofFields("data", "b")));
        assertThat(entries.get(0).time()).isEqualTo(Instant.parse("2024-05-01T10:01:00Z"));
    }

    @Test
    void anUnchangedObjectLeavesManagedFieldsAlone() {
        ObjectNode live = fields.recordUpdate(null, configMap(null, "{a: '1'}"), "creator", "");
        clock.advanceSeconds(60);

        ObjectNode updated = fields.recordUpdate(live, live.deepCopy(), "someone", "");

        assertThat(updated.at("/metadata/managedFields")).isEqualTo(live.at("/metadata/managedFields"));
    }

    @Test
    void updatesThroughAnotherVersionAreAnotherManager() {
        ObjectNode live = fields.recordUpdate(null, configMap(null, "{a: '1'}"), "editor", "");
        ObjectNode edited = live.deepCopy();
        edited.put("apiVersion", "v2");
        ((ObjectNode) edited.get("data")).put("b", "2");

        ObjectNode updated = fields.recordUpdate(live, edited, "editor", "");

        assertThat(ManagedFields.decode(updated.at("/metadata/managedFields")))
                .extracting(ManagedFieldsEntry::apiVersion).containsExactly("v1", "v2");
    }

    @Test
    void objectsThatWereNeverTrackedStayUntracked() {
        ObjectNode untracked = configMap(null, "{a: '1'}");
        ObjectNode edited = untracked.deepCopy();
        ((ObjectNode) edited.get("data")).put("a", "2");

        ObjectNode updated = fields.recordUpdate(untracked, edited, "editor", "");

        assertThat(updated.at("/metadata/managedFields").isMissingNode()).isTrue();
        assertThat(updated.at("/data/a").asText()).isEqualTo("2");
    }

    @Test
    void managedFieldsSentByTheClientAreUsedAndCanBeCleared() {
        ObjectNode live = applied(fields.apply(null, configMap(null, "{a: '1'}"), "alice", false));
        live = applied(fields.apply(live, configMap(null, "{b: '1'}"), "bob", false));

        ObjectNode withoutBob = live.deepCopy();
        ((ObjectNode) withoutBob.get("metadata")).set("managedFields",
                json("[" + live.at("/metadata/managedFields/0") + "]"));
        assertThat(owned(fields.recordUpdate(live, withoutBob, "editor", ""), "bob").isEmpty()).isTrue();

        ObjectNode cleared = live.deepCopy();
        ((ObjectNode) cleared.get("metadata")).set("managedFields", json("[{}]"));
        assertThat(fields.recordUpdate(live, cleared, "editor", "").at("/metadata/managedFields").isMissingNode())
                .isTrue();

        ObjectNode stripped = live.deepCopy();
        ((ObjectNode) stripped.get("metadata")).remove("managedFields");
        assertThat(fields.recordUpdate(live, stripped, "editor", "").at("/metadata/managedFields"))
                .as("a client that drops managedFields keeps the stored ones")
                .isEqualTo(live.at("/metadata/managedFields"));
    }

    @Test
    void subresourceWritesAreRecordedAsSuchAndIgnoreSentManagedFields() {
        ObjectNode live = applied(fields.apply(null, deployment(1, "nginx"), "kubectl", false));
        ObjectNode withStatus = live.deepCopy();
        withStatus.set("status", json("{replicas: 1}"));
        ((ObjectNode) withStatus.get("metadata")).set("managedFields", json("[{}]"));

        ObjectNode updated = fields.recordUpdate(live, withStatus, "kubelet", "status");

        List<ManagedFieldsEntry> entries = ManagedFields.decode(updated.at("/metadata/managedFields"));
        assertThat(entries).extracting(ManagedFieldsEntry::manager).containsExactly("kubectl", "kubelet");
        assertThat(entries.get(1).subresource()).isEqualTo("status");
        assertThat(entries.get(1).description()).isEqualTo("\"kubelet\" with subresource \"status\" using apps/v1");
    }

    @Test
    void unreadableManagedFieldsAreDroppedInsteadOfFailingTheWrite() {
        ObjectNode live = configMap(null, "{a: '1'}");
        ((ObjectNode) live.get("metadata")).set("managedFields", json("[{manager: 'x', fieldsType: 'FieldsV2'}]"));
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.get("data")).put("a", "2");

        ObjectNode updated = fields.recordUpdate(live, edited, "editor", null);

        assertThat(updated.at("/metadata/managedFields").isMissingNode()).isTrue();
    }

    @Test
    void encodesEntriesInKubernetesOrder() {
        FieldSet some = FieldSet.of(FieldPath.ofFields("a"));
        Instant early = Instant.parse("2024-01-01T00:00:00Z");
        Instant late = Instant.parse("2024-02-01T00:00:00Z");

        var encoded = ManagedFields.encode(List.of(
                new ManagedFieldsEntry("z", Operation.UPDATE, "v1", early, "", some),
                new ManagedFieldsEntry("b", Operation.UPDATE, "v1", late, "", some),
                new ManagedFieldsEntry("a", Operation.UPDATE, "v1", late, "status", some),
                new ManagedFieldsEntry("y", Operation.APPLY, "v1", late, "", some)));

        assertThat(encoded.findValuesAsText("manager")).containsExactly("y", "z", "a", "b");
        assertThat(encoded.get(2).get("subresource").asText()).isEqualTo("status");
        assertThat(encoded.get(1).has("subresource")).isFalse();
    }

    /** A clock tests move forward by hand. */
    static final class TickingClock extends Clock {
        private Instant now;

        TickingClock(Instant start) {
            now = start;
        }

        void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
