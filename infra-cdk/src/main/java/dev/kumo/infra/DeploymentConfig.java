package dev.kumo.infra;

import dev.kumo.infra.nodes.NodeArchitecture;
import dev.kumo.infra.state.RestoredTables;
import software.amazon.awscdk.Environment;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where and what the app deploys, from CDK context ({@code -c key=value} or cdk.json) and the CLI's environment.
 *
 * @param cluster      names the stacks ({@code <cluster>-state}, {@code <cluster>-control-plane}), so that one
 *                     account can hold several clusters
 * @param env          account and region, or null when neither is known (an environment-agnostic template)
 * @param apiserverJar the Lambda jar of {@code functions/apiserver}
 * @param controllersJar the Lambda jar of {@code functions/controllers} (the control loops, fan-out, timer, tick)
 * @param cloudControllerJar the Lambda jar of {@code cloud-controller} (the cloud loops and the fan-out)
 * @param admins       IAM role or user ARNs that administer the cluster ({@value #ADMINS}, comma-separated)
 * @param nodeAgentJar the node agent's runnable jar ({@code node-agent/target/node-agent-*-agent.jar})
 * @param nodeArchitecture the nodes' CPU architecture ({@value #NODE_ARCH}: {@code arm64}, the default, or
 *                     {@code x86_64})
 * @param restored     tables restored by {@code ./kumo restore --aws} that the control plane uses instead of the
 *                     state stack's ({@value #OBJECTS_TABLE}, {@value #LOG_TABLE}, {@value #LOG_STREAM_ARN}), or null
 * @param privateNodes nodes in private subnets behind a NAT gateway ({@value #PRIVATE_NODES}{@code =true}) rather
 *                     than public subnets with public IPs
 * @param apiInVpc     the API server function in the nodes' VPC, so that it reaches the agents (kubectl logs); with
 *                     {@value #API_IN_VPC}{@code =false} it runs outside, without logs, and the cluster saves the
 *                     VPC endpoints' cost
 */
public record DeploymentConfig(String cluster, Environment env, Path apiserverJar, Path controllersJar,
                               List<String> admins, Path nodeAgentJar, NodeArchitecture nodeArchitecture,
                               boolean privateNodes, RestoredTables restored, Path cloudControllerJar,
                               boolean apiInVpc) {
    public static final String CLUSTER = "kumo:cluster";
    public static final String APISERVER_JAR = "kumo:apiserverJar";
    public static final String CONTROLLERS_JAR = "kumo:controllersJar";
    public static final String CLOUD_CONTROLLER_JAR = "kumo:cloudControllerJar";
    public static final String ACCOUNT = "kumo:account";
    public static final String REGION = "kumo:region";
    public static final String ADMINS = "kumo:admins";
    public static final String NODE_AGENT_JAR = "kumo:nodeAgentJar";
    public static final String NODE_ARCH = "kumo:nodeArch";
    public static final String PRIVATE_NODES = "kumo:privateNodes";
    public static final String API_IN_VPC = "kumo:apiInVpc";
    public static final String OBJECTS_TABLE = "kumo:objectsTable";
    public static final String LOG_TABLE = "kumo:logTable";
    public static final String LOG_STREAM_ARN = "kumo:logStreamArn";
    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");

    /**
     * Reads the context of {@code app}. Account and region come from {@value #ACCOUNT} and {@value #REGION}, else
     * from the credentials the CDK CLI found ({@code CDK_DEFAULT_ACCOUNT}, {@code CDK_DEFAULT_REGION}).
     */
    public static DeploymentConfig from(Construct app, Map<String, String> environment) {
        String cluster = context(app, CLUSTER, "kumo");
        if (!CLUSTER_NAME.matcher(cluster).matches()) {
            throw new IllegalArgumentException(CLUSTER + " must be lower-case letters, digits and '-', starting with "
                    + "a letter, at most 31 characters: '" + cluster + "'");
        }
        Path apiserverJar = jar(app, APISERVER_JAR, "functions/apiserver/target/apiserver-*-lambda.jar");
        Path controllersJar = jar(app, CONTROLLERS_JAR, "functions/controllers/target/controllers-*-lambda.jar");
        String account = context(app, ACCOUNT, environment.get("CDK_DEFAULT_ACCOUNT"));
        String region = context(app, REGION, environment.get("CDK_DEFAULT_REGION"));
        Environment env = account == null && region == null ? null
                : Environment.builder().account(account).region(region).build();
        List<String> admins = Arrays.stream(context(app, ADMINS, "").split(","))
                .map(String::strip).filter(arn -> !arn.isEmpty()).toList();
        Path nodeAgentJar = jar(app, NODE_AGENT_JAR, "node-agent/target/node-agent-*-agent.jar");
        NodeArchitecture architecture = NodeArchitecture.of(context(app, NODE_ARCH, "arm64"));
        return new DeploymentConfig(cluster, env, apiserverJar, controllersJar, admins, nodeAgentJar, architecture,
                flag(app, PRIVATE_NODES, false), restored(app),
                jar(app, CLOUD_CONTROLLER_JAR, "cloud-controller/target/cloud-controller-*-lambda.jar"),
                flag(app, API_IN_VPC, true));
    }

    /** The id (and CloudFormation name) of one of the cluster's stacks. */
    public String stackId(String unit) {
        return cluster + "-" + unit;
    }

    /** All three restored-table keys, or none. */
    private static RestoredTables restored(Construct app) {
        String objects = context(app, OBJECTS_TABLE, null);
        String log = context(app, LOG_TABLE, null);
        String stream = context(app, LOG_STREAM_ARN, null);
        if (objects == null && log == null && stream == null) {
            return null;
        }
        if (objects == null || log == null || stream == null) {
            throw new IllegalArgumentException("restored tables need all of " + OBJECTS_TABLE + ", " + LOG_TABLE
                    + " and " + LOG_STREAM_ARN + " (./kumo restore --aws writes them)");
        }
        return new RestoredTables(objects, log, stream);
    }

    private static boolean flag(Construct app, String key, boolean otherwise) {
        String value = context(app, key, Boolean.toString(otherwise));
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(key + " is true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static Path jar(Construct app, String key, String where) {
        String jar = context(app, key, null);
        if (jar == null) {
            throw new IllegalArgumentException("no " + key + " in the context: pass -c " + key + "=<" + where
                    + "> (./kumo synth does)");
        }
        return Path.of(jar);
    }

    private static String context(Construct app, String key, String otherwise) {
        Object value = app.getNode().tryGetContext(key);
        return value == null || value.toString().isBlank() ? otherwise : value.toString();
    }
}
