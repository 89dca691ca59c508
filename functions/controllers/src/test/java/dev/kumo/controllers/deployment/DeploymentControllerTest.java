package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.replicaset.OwnerReferences;
import dev.kumo.controllers.replicaset.Workloads;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.kumo.controllers.deployment.DeploymentFixture.annotation;
import static dev.kumo.controllers.deployment.DeploymentFixture.condition;
import static dev.kumo.controllers.deployment.DeploymentFixture.deployment;
import static dev.kumo.controllers.deployment.DeploymentFixture.replicas;
import static org.assertj.core.api.Assertions.assertThat;

class DeploymentControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final String SURGE_2_UNAVAILABLE_1 = """
            {"type":"RollingUpdate","rollingUpdate":{"maxSurge":2,"maxUnavailable":1}}""";

    private DeploymentFixture f;

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @BeforeEach
    void setUp() {
        f = new DeploymentFixture(CLUSTER, "deploy");
    }

    @Test
    void createsTheFirstReplicaSetNamedByTheTemplateHash() throws Exception {
        ObjectNode created = f.create(deployment("web", 3, "nginx:1", null));

        assertThat(f.sync("web")).isEqualTo(Result.DONE);

        List<ObjectNode> replicaSets = f.replicaSets("web");
        assertThat(replicaSets).hasSize(1);
        ObjectNode rs = replicaSets.get(0);
        String hash = TemplateHash.of(created.path("spec").path("template"), null);
        assertThat(Meta.name(rs)).isEqualTo("web-" + hash);
        assertThat(hash).matches("[4-9bcdf]{1,10}");
        assertThat(rs.path("metadata").path("labels").path("pod-template-hash").asText()).isEqualTo(hash);
        assertThat(rs.path("spec").path("selector").path("matchLabels").path("pod-template-hash").asText())
                .isEqualTo(hash);
        assertThat(rs.path("spec").path("template").path("metadata").path("labels").path("pod-template-hash")
                .asText()).isEqualTo(hash);
        assertThat(OwnerReferences.isControlledBy(rs, Meta.uid(created))).isTrue();
        assertThat(replicas(rs)).isEqualTo(3);
        assertThat(annotation(rs, "deployment.kubernetes.io/revision")).isEqualTo("1");
        assertThat(annotation(rs, "deployment.kubernetes.io/desired-replicas")).isEqualTo("3");
        assertThat(annotation(rs, "deployment.kubernetes.io/max-replicas")).isEqualTo("4"); // 25% of 3, rounded up
        assertThat(f.events("web")).containsExactly("ScalingReplicaSet: Scaled up replica set " + Meta.name(rs)
                + " from 0 to 3");

        ObjectNode deployment = f.get("web");
        assertThat(annotation(deployment, "deployment.kubernetes.io/revision")).isEqualTo("1");
        assertThat(deployment.path("status").path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(deployment.path("status").path("unavailableReplicas").asInt()).isEqualTo(3);
        JsonNode progressing = condition(deployment, "Progressing");
        assertThat(progressing.path("status").asText()).isEqualTo("True");
        assertThat(progressing.path("reason").asText()).isEqualTo("NewReplicaSetCreated");
        assertThat(progressing.path("message").asText()).isEqualTo("Created new replica set \"" + Meta.name(rs) + "\"");
        JsonNode available = condition(deployment, "Available");
        assertThat(available.path("status").asText()).isEqualTo("False");
        assertThat(available.path("reason").asText()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(available.path("message").asText()).isEqualTo("Deployment does not have minimum availability.");
    }

    @Test
    void aRepeatChangesNothingAndWaitsForTheProgressDeadline() throws Exception {
        f.create(deployment("web", 3, "nginx:1", null));
        f.sync("web");
        String resourceVersion = Meta.resourceVersion(f.get("web"));

        Result again = f.sync("web");

        assertThat(f.replicaSets("web")).hasSize(1);
        assertThat(Meta.resourceVersion(f.get("web"))).isEqualTo(resourceVersion);
        assertThat(f.events("web")).hasSize(1);
        assertThat(again.requeueAfter()).isEqualTo(Duration.ofSeconds(601)); // the default 600 s deadline, plus 1
    }

    @Test
    void aKeyForADeploymentThatIsGoneIsDone() throws Exception {
        assertThat(f.sync("never-was")).isEqualTo(Result.DONE);
    }

    @Test
    void reportsACompleteRolloutTheWayKubectlRolloutStatusReadsIt() throws Exception {
        f.create(deployment("web", 3, "nginx:1", null));
        f.sync("web");
        ObjectNode rs = f.replicaSets("web").get(0);
        f.settle(rs, 3, 3, 3);

        f.sync("web");

        JsonNode deployment = f.get("web");
        JsonNode status = deployment.path("status");
        assertThat(status.path("observedGeneration").asLong())
                .isGreaterThanOrEqualTo(deployment.path("metadata").path("generation").asLong());
        assertThat(status.path("replicas").asInt()).isEqualTo(3);
        assertThat(status.path("updatedReplicas").asInt()).isEqualTo(3);
        assertThat(status.path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(status.path("availableReplicas").asInt()).isEqualTo(3);
        assertThat(status.has("unavailableReplicas")).isFalse();
        assertThat(condition(deployment, "Progressing").path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
        assertThat(condition(deployment, "Progressing").path("message").asText())
                .isEqualTo("ReplicaSet \"" + Meta.name(rs) + "\" has successfully progressed.");
        assertThat(condition(deployment, "Available").path("reason").asText()).isEqualTo("MinimumReplicasAvailable");
        assertThat(f.sync("web")).as("complete: no deadline to wait for").isEqualTo(Result.DONE);
    }

    @Test
    void aRollingUpdateSurgesAndScalesDownWithinItsBudget() throws Exception {
        ObjectNode old = f.createSettled(deployment("web", 10, "nginx:1", SURGE_2_UNAVAILABLE_1));

        f.setImage("web", "nginx:2");
        f.sync("web");

        List<ObjectNode> replicaSets = f.replicaSets("web");
        assertThat(replicaSets).hasSize(2);
        ObjectNode newRS = replicaSets.get(1);
        assertThat(annotation(newRS, "deployment.kubernetes.io/revision")).isEqualTo("2");
        assertThat(replicas(newRS)).as("surge: 12 pods at most").isEqualTo(2);
        // 12 pods, at least 9 available, the 2 new ones not yet: one old pod may go.
        assertThat(replicas(f.replicaSet(Meta.name(old)))).isEqualTo(9);
        assertThat(f.events("web")).contains(
                "ScalingReplicaSet: Scaled up replica set " + Meta.name(newRS) + " from 0 to 2",
                "ScalingReplicaSet: Scaled down replica set " + Meta.name(old) + " from 10 to 9");
        assertThat(annotation(f.get("web"), "deployment.kubernetes.io/revision")).isEqualTo("2");

        // Nothing became available: nothing more moves.
        f.settle(f.replicaSet(Meta.name(old)), 9, 9, 9);
        f.settle(newRS, 2, 0, 0);
        f.sync("web");
        assertThat(replicas(f.replicaSet(Meta.name(newRS)))).isEqualTo(3); // 9 + 3 = 12
        assertThat(replicas(f.replicaSet(Meta.name(old)))).isEqualTo(9);
        f.sync("web");
        assertThat(replicas(f.replicaSet(Meta.name(old)))).as("9 available, minimum 9").isEqualTo(9);

        // The new pods become available: old ones go, new ones come, 12 at most, 9 available at least.
        f.settle(f.replicaSet(Meta.name(newRS)), 3, 3, 3);
        f.sync("web");
        assertThat(replicas(f.replicaSet(Meta.name(old)))).isEqualTo(6); // 12 available - 9 minimum = 3 down
    }

    /**
     * The old replica set's status still counts the pods of its previous size (its controller has not caught up
     * with the scale-down): 9 desired, 10 available. Its "unhealthy" count (desired − available) is then −1, and
     * taking that off its size scaled it back UP to 10, past replicas + maxSurge. kube-controller-manager refuses
     * that scale ("invalid request to scale down"); the status update that follows brings the deployment back.
     */
    @Test
    void anOldReplicaSetWhoseStatusLagsItsScaleDownIsNeverScaledBackUp() throws Exception {
        ObjectNode old = f.createSettled(deployment("web", 10, "nginx:1", SURGE_2_UNAVAILABLE_1));
        f.setImage("web", "nginx:2");
        f.sync("web");
        ObjectNode newRS = f.replicaSets("web").get(1);
        assertThat(replicas(f.replicaSet(Meta.name(old)))).isEqualTo(9);
        f.settle(newRS, 2, 2, 2); // the old one's status still says 10 available

        f.sync("web"); // the new one grows to 3: 12 in all
        assertThat(replicas(f.replicaSet(Meta.name(newRS)))).isEqualTo(3);
        f.sync("web"); // the old one's status still lags

        String scaledUp = "ScalingReplicaSet: Scaled up replica set " + Meta.name(old) + " from ";
        assertThat(f.events("web")).as("the old replica set is scaled up only when created, never in the rollout")
                .filteredOn(event -> event.startsWith(scaledUp)).containsExactly(scaledUp + "0 to 10");
        assertThat(replicas(f.replicaSet(Meta.name(old)))).as("nothing moves until its status catches up")
                .isEqualTo(9);
    }

    @Test
    void aRollingUpdateFinishesAndKeepsTheOldReplicaSetAtZero() throws Exception {
        f.create(deployment("web", 4, "nginx:1", SURGE_2_UNAVAILABLE_1));
        f.sync("web");
        f.settleAll("web");
        f.setImage("web", "nginx:2");
        f.syncAndSettle("web", 12);

        List<ObjectNode> replicaSets = f.replicaSets("web");
        assertThat(replicaSets.stream().map(DeploymentFixture::replicas).toList()).containsExactly(0, 4);
        JsonNode status = f.get("web").path("status");
        assertThat(status.path("updatedReplicas").asInt()).isEqualTo(4);
        assertThat(status.path("replicas").asInt()).isEqualTo(4);
        assertThat(status.path("availableReplicas").asInt()).isEqualTo(4);
        assertThat(condition(f.get("web"), "Progressing").path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
    }

    @Test
    void recreateScalesTheOldDownAndWaitsForItsPodsToGoBeforeCreatingTheNew() throws Exception {
        f.create(deployment("web", 3, "nginx:1", "{\"type\":\"Recreate\"}"));
        f.sync("web");
        ObjectNode old = f.replicaSets("web").get(0);
        f.settle(old, 3, 3, 3);
        ObjectNode pod = f.admin.create(ResourceType.PODS, f.namespace, oldPod(old));
        f.sync("web");

        f.setImage("web", "nginx:2");
        f.sync("web");
        assertThat(replicas(f.replicaSet(Meta.name(old)))).isZero();
        assertThat(f.replicaSets("web")).hasSize(1);
        assertThat(f.events("web")).contains("ScalingReplicaSet: Scaled down replica set " + Meta.name(old)
                + " from 3 to 0");

        f.settle(old, 0, 0, 0);
        f.sync("web");
        assertThat(f.replicaSets("web")).as("an old pod still runs").hasSize(1);

        f.admin.delete(ResourceType.PODS, f.namespace, Meta.name(pod), null, null);
        f.sync("web");
        List<ObjectNode> replicaSets = f.replicaSets("web");
        assertThat(replicaSets).hasSize(2);
        assertThat(replicas(replicaSets.get(1))).isEqualTo(3);
    }

    private static ObjectNode oldPod(ObjectNode rs) {
        ObjectNode pod = Workloads.pod("old-pod", "web");
        ((ObjectNode) pod.path("metadata").path("labels")).put("pod-template-hash",
                rs.path("metadata").path("labels").path("pod-template-hash").asText());
        ((ObjectNode) pod.path("metadata")).putArray("ownerReferences")
                .add(OwnerReferences.controllerRef(rs, "apps/v1", "ReplicaSet"));
        return pod;
    }

    @Test
    void scalingASettledDeploymentScalesItsReplicaSet() throws Exception {
        f.createSettled(deployment("web", 3, "nginx:1", null));

        f.patch("web", "{\"spec\":{\"replicas\":5}}");
        f.sync("web");

        ObjectNode rs = f.replicaSets("web").get(0);
        assertThat(replicas(rs)).isEqualTo(5);
        assertThat(annotation(rs, "deployment.kubernetes.io/desired-replicas")).isEqualTo("5");
        assertThat(annotation(rs, "deployment.kubernetes.io/max-replicas")).isEqualTo("7"); // 5 + ceil(1.25)
        assertThat(f.events("web")).contains("ScalingReplicaSet: Scaled up replica set " + Meta.name(rs)
                + " from 3 to 5");
    }

    @Test
    void scalingDuringARolloutSharesTheNewReplicasInProportion() throws Exception {
        f.create(deployment("web", 10, "nginx:1", SURGE_2_UNAVAILABLE_1));
        f.sync("web");
        f.settleAll("web");
        f.setImage("web", "nginx:2");
        f.sync("web");
        ObjectNode old = f.replicaSets("web").get(0);
        ObjectNode newRS = f.replicaSets("web").get(1);
        f.settle(old, 9, 9, 9);
        f.settle(newRS, 2, 0, 0);
        f.sync("web"); // new: 3, old: 9 (12 in all, max-replicas 12 on both)
        assertThat(replicas(f.replicaSet(Meta.name(newRS)))).isEqualTo(3);

        f.patch("web", "{\"spec\":{\"replicas\":20}}");
        f.sync("web");

        // 22 allowed (20 + surge 2), 12 there: 10 to add. The larger first: 9 * 22 / 12 = 16.5, rounded half away
        // from zero to 17 (+8); then 3 * 22 / 12 = 5.5 -> 6 (+3), but only 2 are left to add: 5.
        assertThat(replicas(f.replicaSet(Meta.name(old)))).isEqualTo(17);
        assertThat(replicas(f.replicaSet(Meta.name(newRS)))).isEqualTo(5);
        assertThat(annotation(f.replicaSet(Meta.name(old)), "deployment.kubernetes.io/desired-replicas"))
                .isEqualTo("20");
    }

    @Test
    void pausedDeploymentsDoNotRollOutUntilResumed() throws Exception {
        f.createSettled(deployment("web", 2, "nginx:1", null));

        f.patch("web", """
                {"spec":{"paused":true,"template":{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}}}""");
        f.sync("web");

        assertThat(f.replicaSets("web")).hasSize(1);
        JsonNode progressing = condition(f.get("web"), "Progressing");
        assertThat(progressing.path("status").asText()).isEqualTo("Unknown");
        assertThat(progressing.path("reason").asText()).isEqualTo("DeploymentPaused");
        assertThat(progressing.path("message").asText()).isEqualTo("Deployment is paused");

        f.patch("web", "{\"spec\":{\"paused\":false}}");
        f.sync("web");

        assertThat(f.replicaSets("web")).hasSize(2);
        assertThat(f.get("web").path("status").path("conditions").toString()).doesNotContain("DeploymentPaused");
    }

    @Test
    void aRestartIsANewTemplateAndSoANewReplicaSet() throws Exception {
        f.createSettled(deployment("web", 2, "nginx:1", null));

        f.patch("web", """
                {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2024-06-01T12:00:00Z"}}}}}""");
        f.sync("web");

        List<ObjectNode> replicaSets = f.replicaSets("web");
        assertThat(replicaSets).hasSize(2);
        assertThat(replicaSets.get(1).path("spec").path("template").path("metadata").path("annotations")
                .path("kubectl.kubernetes.io/restartedAt").asText()).isEqualTo("2024-06-01T12:00:00Z");
    }

    @Test
    void aStalledRolloutTimesOutAtItsProgressDeadline() throws Exception {
        ObjectNode spec = deployment("web", 2, "nginx:1", null);
        ((ObjectNode) spec.path("spec")).put("progressDeadlineSeconds", 30);
        f.create(spec);
        f.sync("web");
        Result waiting = f.sync("web");
        assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(31));

        f.clock.advance(Duration.ofSeconds(31));
        f.sync("web");

        ObjectNode rs = f.replicaSets("web").get(0);
        JsonNode progressing = condition(f.get("web"), "Progressing");
        assertThat(progressing.path("status").asText()).isEqualTo("False");
        assertThat(progressing.path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(progressing.path("message").asText())
                .isEqualTo("ReplicaSet \"" + Meta.name(rs) + "\" has timed out progressing.");
        assertThat(f.sync("web")).as("timed out: nothing more to wait for").isEqualTo(Result.DONE);
    }

    @Test
    void keepsOnlyRevisionHistoryLimitOldReplicaSets() throws Exception {
        ObjectNode spec = deployment("web", 1, "nginx:1", null);
        ((ObjectNode) spec.path("spec")).put("revisionHistoryLimit", 1);
        f.create(spec);
        for (int version = 2; version <= 4; version++) {
            f.syncAndSettle("web", 6);
            f.setImage("web", "nginx:" + version);
        }
        f.syncAndSettle("web", 6);

        List<ObjectNode> replicaSets = f.replicaSets("web");
        assertThat(replicaSets.stream().map(rs -> annotation(rs, "deployment.kubernetes.io/revision")).toList())
                .containsExactly("3", "4");
        assertThat(replicaSets.stream().map(DeploymentFixture::replicas).toList()).containsExactly(0, 1);
    }

    @Test
    void rollingBackAsKubectlDoesReusesTheOldReplicaSetUnderANewRevision() throws Exception {
        ObjectNode spec = deployment("web", 2, "nginx:1", null);
        ((ObjectNode) spec.path("metadata")).putObject("annotations").put("kubernetes.io/change-cause", "v1");
        f.create(spec);
        f.sync("web");
        f.settleAll("web");
        f.patch("web", """
                {"metadata":{"annotations":{"kubernetes.io/change-cause":"v2"}},
                 "spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}}}""");
        f.syncAndSettle("web", 6);
        ObjectNode first = f.replicaSets("web").get(0);
        assertThat(annotation(first, "kubernetes.io/change-cause")).isEqualTo("v1");
        assertThat(annotation(f.replicaSets("web").get(1), "kubernetes.io/change-cause")).isEqualTo("v2");

        KubectlUndo.undo(f.admin, f.namespace, "web", 1);
        f.syncAndSettle("web", 6);

        List<ObjectNode> replicaSets = f.replicaSets("web");
        assertThat(replicaSets).hasSize(2);
        ObjectNode reused = f.replicaSet(Meta.name(first));
        assertThat(annotation(reused, "deployment.kubernetes.io/revision")).isEqualTo("3");
        assertThat(annotation(reused, "deployment.kubernetes.io/revision-history")).isEqualTo("1");
        assertThat(replicas(reused)).isEqualTo(2);
        ObjectNode deployment = f.get("web");
        assertThat(annotation(deployment, "deployment.kubernetes.io/revision")).isEqualTo("3");
        assertThat(annotation(deployment, "kubernetes.io/change-cause")).isEqualTo("v1");
        assertThat(deployment.path("spec").path("template").path("spec").path("containers").get(0).path("image")
                .asText()).isEqualTo("nginx:1");
    }

    @Test
    void anOrphanReplicaSetKeyLetsAMatchingDeploymentAdoptIt() throws Exception {
        ObjectNode deployment = f.create(deployment("web", 1, "nginx:1", null));
        ObjectNode stray = Workloads.replicaSet("stray", 0, "web");
        ((ObjectNode) stray.path("metadata")).putObject("labels").put("app", "web"); // a selector matches labels
        ObjectNode orphan = f.admin.create(ResourceType.REPLICA_SETS, f.namespace, stray);
        ObjectNode unlabelled = f.admin.create(ResourceType.REPLICA_SETS, f.namespace,
                Workloads.replicaSet("unlabelled", 0, "web"));

        assertThat(f.loop.reconciler().reconcile(DeploymentKeys.orphanReplicaSetKey(f.namespace, "stray")))
                .isEqualTo(Result.DONE);

        assertThat(OwnerReferences.isControlledBy(f.replicaSet("stray"), Meta.uid(deployment))).isTrue();
        assertThat(Meta.uid(f.replicaSet("stray"))).isEqualTo(Meta.uid(orphan));
        f.loop.reconciler().reconcile(DeploymentKeys.orphanReplicaSetKey(f.namespace, "unlabelled"));
        assertThat(Meta.resourceVersion(f.replicaSet("unlabelled"))).isEqualTo(Meta.resourceVersion(unlabelled));
    }
}
