package dev.kumo.infra.state;

import dev.kumo.infra.Templates;
import dev.kumo.infra.controlplane.ControlPlaneStack;
import dev.kumo.infra.controlplane.ControlPlaneStackProps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The control plane on tables {@code ./kumo restore --aws} made, while the state stack keeps its exports. */
class RestoredTablesTest {
    private static final String STREAM = "arn:aws:dynamodb:eu-west-1:111122223333:table/kumo-log-r20261124020000/stream/2026-11-24T02:10:00.000";

    @Test
    void theControlPlaneUsesTheRestoredTablesAndTheirStream(@TempDir Path dir) {
        Template before = synth(dir, null)[0];
        Template[] after = synth(dir, new RestoredTables("kumo-objects-r20261124020000", "kumo-log-r20261124020000",
                STREAM));
        Template stateTemplate = after[0];
        Template planeTemplate = after[1];

        String api = Templates.only(planeTemplate, "AWS::Lambda::Function",
                Map.of("Handler", ControlPlaneStack.API_HANDLER)).getKey();
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) Templates.properties(
                planeTemplate.findResources("AWS::Lambda::Function").get(api)).get("Environment")).get("Variables");
        assertThat(variables.get(ClusterStore.ENV_OBJECTS_TABLE)).isEqualTo("kumo-objects-r20261124020000");
        assertThat(variables.get(ClusterStore.ENV_LOG_TABLE)).isEqualTo("kumo-log-r20261124020000");
        assertThat(planeTemplate.findResources("AWS::Lambda::EventSourceMapping").values().stream()
                .map(m -> Templates.properties(m).get("EventSourceArn")).toList()).contains(STREAM)
                .noneMatch(arn -> arn.toString().contains("ImportValue"));
        assertThat(planeTemplate.toJSON().toString()).contains("table/kumo-objects-r20261124020000")
                .contains("table/kumo-log-r20261124020000");

        // Every export the state stack had still exists, so the control plane's update can let go of them.
        List<Object> exportsBefore = exports(before);
        assertThat(exportsBefore).isNotEmpty();
        assertThat(exports(stateTemplate)).containsAll(exportsBefore);
        // The tables themselves are untouched.
        assertThat(stateTemplate.findResources("AWS::DynamoDB::Table")).isEqualTo(before.findResources("AWS::DynamoDB::Table"));
    }

    /** The state and control plane templates of one app, on the state stack's tables or {@code restored} ones. */
    private static Template[] synth(Path dir, RestoredTables restored) {
        App app = Templates.app();
        StateStack state = new StateStack(app, "state", StackProps.builder().build());
        ControlPlaneStack plane = new ControlPlaneStack(app, "plane", ControlPlaneStackProps.builder()
                .store(restored == null ? state.store() : state.restoredStore(restored)).keys(state.keys())
                .cluster("kumo").apiserverJar(Templates.standInJar(dir)).controllersJar(Templates.standInJar(dir))
                .build());
        return new Template[] {Template.fromStack(state), Template.fromStack(plane)};
    }

    private static List<Object> exports(Template template) {
        return template.findOutputs("*").values().stream()
                .map(o -> ((Map<?, ?>) o).get("Export")).filter(java.util.Objects::nonNull)
                .map(e -> ((Map<?, ?>) e).get("Name")).map(Object.class::cast).toList();
    }
}
