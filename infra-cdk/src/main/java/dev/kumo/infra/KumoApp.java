package dev.kumo.infra;

import dev.kumo.infra.controlplane.CloudControllerProps;
import dev.kumo.infra.controlplane.ControlPlaneStack;
import dev.kumo.infra.controlplane.ControlPlaneStackProps;
import dev.kumo.infra.nodes.NodesStack;
import dev.kumo.infra.nodes.NodesStackProps;
import dev.kumo.infra.state.StateStack;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.lambda.Code;

/**
 * The CDK app: one stack per deployable unit, wired together. The state stack holds what must outlive every
 * deployment (the store); the nodes stack the network and launch template nodes run from; the control plane stack
 * holds compute that can be replaced at will.
 * {@code ./kumo synth} runs it; see {@link DeploymentConfig} for its context.
 */
public final class KumoApp {
    private KumoApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        wire(app, DeploymentConfig.from(app, System.getenv()));
        app.synth();
    }

    /** Adds the cluster's stacks to {@code app}. */
    public static void wire(App app, DeploymentConfig config) {
        // Cost allocation: activate this tag in Billing to see what one cluster costs.
        Tags.of(app).add("kumo:cluster", config.cluster());

        StateStack state = new StateStack(app, config.stackId("state"), StackProps.builder().env(config.env()).build());
        // The nodes stack does not reference the control plane (nodes read the API's URL from SSM at boot), so that
        // the control plane can take the nodes' launch template and subnets for the cloud provider's functions, and
        // the API function's subnets and security group (the nodes stack opens the agents' port to that group).
        NodesStack nodes = new NodesStack(app, config.stackId("nodes"), NodesStackProps.builder()
                .env(config.env())
                .cluster(config.cluster())
                .nodeAgentJar(config.nodeAgentJar())
                .architecture(config.nodeArchitecture())
                .privateNodes(config.privateNodes())
                .apiServerInVpc(config.apiInVpc())
                .build());
        new ControlPlaneStack(app, config.stackId("control-plane"), ControlPlaneStackProps.builder()
                .env(config.env())
                .store(config.restored() == null ? state.store() : state.restoredStore(config.restored()))
                .keys(state.keys())
                .cluster(config.cluster())
                .admins(config.admins())
                .apiserverJar(config.apiserverJar())
                .controllersJar(config.controllersJar())
                .cloud(new CloudControllerProps(Code.fromAsset(config.cloudControllerJar().toString()),
                        nodes.cloudProviderEnvironment(), nodes.cloudControllerStatements()))
                // In the nodes' VPC, the only source their agents' port accepts: kubectl logs through the API.
                .apiNetwork(nodes.apiServerPlacement().orElse(null))
                .build());
    }
}
