package dev.kumo.infra;

import dev.kumo.infra.nodes.NodeArchitecture;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentConfigTest {
    private static final Map<String, String> NO_CREDENTIALS = Map.of();

    @Test
    void withoutAccountOrRegionTheTemplatesAreEnvironmentAgnostic() {
        DeploymentConfig config = DeploymentConfig.from(app(jars()), NO_CREDENTIALS);
        assertThat(config.cluster()).isEqualTo("kumo");
        assertThat(config.env()).isNull();
        assertThat(config.apiserverJar()).isEqualTo(Path.of("api.jar"));
        assertThat(config.controllersJar()).isEqualTo(Path.of("controllers.jar"));
        assertThat(config.stackId("state")).isEqualTo("kumo-state");
        assertThat(config.nodeAgentJar()).isEqualTo(Path.of("agent.jar"));
        assertThat(config.nodeArchitecture()).isEqualTo(NodeArchitecture.ARM64);
        assertThat(config.privateNodes()).isFalse();
        assertThat(config.apiInVpc()).isTrue();
    }

    @Test
    void nodesArchitectureAndPrivateSubnetsComeFromTheContext() {
        DeploymentConfig config = DeploymentConfig.from(app(with(jars(), DeploymentConfig.NODE_ARCH, "x86_64",
                DeploymentConfig.PRIVATE_NODES, "true")), NO_CREDENTIALS);
        assertThat(config.nodeArchitecture()).isEqualTo(NodeArchitecture.X86_64);
        assertThat(config.privateNodes()).isTrue();
        assertThatThrownBy(() -> DeploymentConfig.from(app(with(jars(), DeploymentConfig.NODE_ARCH, "s390x")),
                NO_CREDENTIALS)).hasMessageContaining("s390x");
        assertThatThrownBy(() -> DeploymentConfig.from(app(with(jars(), DeploymentConfig.PRIVATE_NODES, "yes")),
                NO_CREDENTIALS)).hasMessageContaining(DeploymentConfig.PRIVATE_NODES);
        assertThat(DeploymentConfig.from(app(with(jars(), DeploymentConfig.API_IN_VPC, "false")), NO_CREDENTIALS)
                .apiInVpc()).isFalse();
        assertThatThrownBy(() -> DeploymentConfig.from(app(with(jars(), DeploymentConfig.API_IN_VPC, "no")),
                NO_CREDENTIALS)).hasMessageContaining(DeploymentConfig.API_IN_VPC);
        Map<String, String> noAgent = new HashMap<>(jars());
        noAgent.remove(DeploymentConfig.NODE_AGENT_JAR);
        assertThatThrownBy(() -> DeploymentConfig.from(app(noAgent), NO_CREDENTIALS))
                .hasMessageContaining(DeploymentConfig.NODE_AGENT_JAR);
    }

    @Test
    void contextWinsOverTheCredentialsTheCliFound() {
        Map<String, String> cli = Map.of("CDK_DEFAULT_ACCOUNT", "111111111111", "CDK_DEFAULT_REGION", "us-east-1");
        DeploymentConfig fromCli = DeploymentConfig.from(app(jars()), cli);
        assertThat(fromCli.env().getAccount()).isEqualTo("111111111111");
        assertThat(fromCli.env().getRegion()).isEqualTo("us-east-1");

        DeploymentConfig fromContext = DeploymentConfig.from(app(with(jars(),
                DeploymentConfig.REGION, "eu-west-1", DeploymentConfig.CLUSTER, "dev-2")), cli);
        assertThat(fromContext.env().getAccount()).isEqualTo("111111111111");
        assertThat(fromContext.env().getRegion()).isEqualTo("eu-west-1");
        assertThat(fromContext.stackId("control-plane")).isEqualTo("dev-2-control-plane");
    }

    @Test
    void aMissingJarOrABadClusterNameIsRefused() {
        assertThatThrownBy(() -> DeploymentConfig.from(app(Map.of()), NO_CREDENTIALS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DeploymentConfig.APISERVER_JAR);
        assertThatThrownBy(() -> DeploymentConfig.from(app(Map.of(DeploymentConfig.APISERVER_JAR, "api.jar")),
                NO_CREDENTIALS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DeploymentConfig.CONTROLLERS_JAR);
        Map<String, String> context = new HashMap<>(jars());
        context.put(DeploymentConfig.CLUSTER, "Prod_1");
        assertThatThrownBy(() -> DeploymentConfig.from(app(context), NO_CREDENTIALS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Prod_1");
    }

    private static Map<String, String> jars() {
        return Map.of(DeploymentConfig.APISERVER_JAR, "api.jar", DeploymentConfig.CONTROLLERS_JAR, "controllers.jar",
                DeploymentConfig.CLOUD_CONTROLLER_JAR, "cloud.jar", DeploymentConfig.NODE_AGENT_JAR, "agent.jar");
    }

    private static Map<String, String> with(Map<String, String> context, String... keysAndValues) {
        Map<String, String> all = new HashMap<>(context);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            all.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return all;
    }

    private static App app(Map<String, String> context) {
        return App.Builder.create().context(Map.copyOf(context)).build();
    }
}
