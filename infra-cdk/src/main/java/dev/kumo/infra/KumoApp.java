package dev.kumo.infra;

import dev.kumo.infra.controlplane.ControlPlaneStack;
import dev.kumo.infra.controlplane.ControlPlaneStackProps;
import dev.kumo.infra.state.StateStack;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: one stack per deployable unit, wired together. The state stack holds what must outlive every
 * deployment (the store); the control plane stack holds compute that can be replaced at will.
 * {@code ./kumo synth} runs it; see {@link DeploymentConfig} for its context.
 */
public final class KumoApp {
    private KumoApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        DeploymentConfig config = DeploymentConfig.from(app, System.getenv());
        // Cost allocation: activate this tag in Billing to see what one cluster costs.
        Tags.of(app).add("kumo:cluster", config.cluster());

        StateStack state = new StateStack(app, config.stackId("state"), StackProps.builder().env(config.env()).build());
        new ControlPlaneStack(app, config.stackId("control-plane"), ControlPlaneStackProps.builder()
                .env(config.env())
                .store(state.store())
                .keys(state.keys())
                .cluster(config.cluster())
                .admins(config.admins())
                .apiserverJar(config.apiserverJar())
                .controllersJar(config.controllersJar())
                .build());
        app.synth();
    }
}
