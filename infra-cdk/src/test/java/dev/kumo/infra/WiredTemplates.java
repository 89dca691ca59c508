package dev.kumo.infra;

import dev.kumo.infra.controlplane.ControlPlaneStack;
import dev.kumo.infra.nodes.NodesStack;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes and control plane templates of the app as {@code ./kumo deploy} wires it ({@link KumoApp#wire}, cluster
 * {@code prod}): the default one synthesized once for the test classes that read it, others on demand.
 */
final class WiredTemplates {
    static final Template NODES;
    static final Template PLANE;

    static {
        List<Template> templates = nodesAndPlane(Map.of());
        NODES = templates.get(0);
        PLANE = templates.get(1);
    }

    private WiredTemplates() {
    }

    /** The nodes and control plane templates with more context. */
    static List<Template> nodesAndPlane(Map<String, String> context) {
        Path dir = Templates.tempDir("kumo-wired");
        Path jar = Templates.standInJar(dir);
        Map<String, String> all = new LinkedHashMap<>(context);
        all.putAll(Map.of(DeploymentConfig.CLUSTER, "prod",
                DeploymentConfig.APISERVER_JAR, jar.toString(),
                DeploymentConfig.CONTROLLERS_JAR, jar.toString(),
                DeploymentConfig.CLOUD_CONTROLLER_JAR, Templates.otherStandInJar(dir).toString(),
                DeploymentConfig.NODE_AGENT_JAR, jar.toString()));
        App app = Templates.app();
        KumoApp.wire(app, DeploymentConfig.from(Templates.app(all), Map.of()));
        List<Stack> stacks = app.getNode().getChildren().stream().filter(Stack.class::isInstance)
                .map(Stack.class::cast).toList();
        return List.of(
                Template.fromStack(stacks.stream().filter(NodesStack.class::isInstance).findFirst().orElseThrow()),
                Template.fromStack(stacks.stream().filter(ControlPlaneStack.class::isInstance).findFirst()
                        .orElseThrow()));
    }
}
