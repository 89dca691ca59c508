package dev.kumo.infra;

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
 * @param admins       IAM role or user ARNs that administer the cluster ({@value #ADMINS}, comma-separated)
 */
public record DeploymentConfig(String cluster, Environment env, Path apiserverJar, Path controllersJar,
                               List<String> admins) {
    public static final String CLUSTER = "kumo:cluster";
    public static final String APISERVER_JAR = "kumo:apiserverJar";
    public static final String CONTROLLERS_JAR = "kumo:controllersJar";
    public static final String ACCOUNT = "kumo:account";
    public static final String REGION = "kumo:region";
    public static final String ADMINS = "kumo:admins";
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
        Path apiserverJar = jar(app, APISERVER_JAR, "apiserver");
        Path controllersJar = jar(app, CONTROLLERS_JAR, "controllers");
        String account = context(app, ACCOUNT, environment.get("CDK_DEFAULT_ACCOUNT"));
        String region = context(app, REGION, environment.get("CDK_DEFAULT_REGION"));
        Environment env = account == null && region == null ? null
                : Environment.builder().account(account).region(region).build();
        List<String> admins = Arrays.stream(context(app, ADMINS, "").split(","))
                .map(String::strip).filter(arn -> !arn.isEmpty()).toList();
        return new DeploymentConfig(cluster, env, apiserverJar, controllersJar, admins);
    }

    /** The id (and CloudFormation name) of one of the cluster's stacks. */
    public String stackId(String unit) {
        return cluster + "-" + unit;
    }

    private static Path jar(Construct app, String key, String module) {
        String jar = context(app, key, null);
        if (jar == null) {
            throw new IllegalArgumentException("no " + key + " in the context: pass -c " + key + "=<functions/"
                    + module + "/target/" + module + "-*-lambda.jar> (./kumo synth does)");
        }
        return Path.of(jar);
    }

    private static String context(Construct app, String key, String otherwise) {
        Object value = app.getNode().tryGetContext(key);
        return value == null || value.toString().isBlank() ? otherwise : value.toString();
    }
}
