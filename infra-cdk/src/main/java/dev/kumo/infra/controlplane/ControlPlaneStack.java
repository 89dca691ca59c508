package dev.kumo.infra.controlplane;

import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.infra.constructs.KumoFunction;
import dev.kumo.infra.constructs.KumoFunctionProps;
import dev.kumo.infra.nodes.NodesStack;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigatewayv2.CfnIntegration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;
import software.constructs.IConstruct;

import java.util.HashMap;
import java.util.Map;

/**
 * The control plane's compute: the API server behind an API Gateway HTTP API and the compaction of the event log
 * on a one-minute schedule (handlers of {@code functions/apiserver}'s Lambda jar on the state stack's store), and
 * the control loops ({@link ControlLoops}: handlers of {@code functions/controllers}' jar, API clients under
 * their own IAM roles, which the API maps to the loops' users). Costs little while idle: the tables' storage and
 * the minute ticks.
 */
public final class ControlPlaneStack extends Stack {
    public static final String API_HANDLER = "dev.kumo.apiserver.lambda.ApiGatewayHandler::handleRequest";
    /** The output holding the API's URL: a kubeconfig's server ({@code ./kumo kubeconfig --aws} reads it). */
    public static final String OUTPUT_API_ENDPOINT = "ApiEndpoint";
    public static final String COMPACTION_HANDLER = "dev.kumo.apiserver.lambda.CompactionHandler::handleRequest";
    /** Read by apiserver's {@code AwsIamAuthenticator}: the cluster id IAM tokens must be signed for. */
    public static final String ENV_CLUSTER_NAME = "KUMO_CLUSTER_NAME";
    /** Read by apiserver's {@code AwsIamAuthenticator}: IAM identities and the users they are. */
    public static final String ENV_IAM_MAPPINGS = "KUMO_IAM_MAPPINGS";
    /** Read by apiserver's {@code AuditSinks}: "-" is standard output, the function's log group. */
    public static final String ENV_AUDIT_LOG = "KUMO_AUDIT_LOG";
    /** Read by apiserver's {@code ServerFactory}: which of the runtime's trusted roots pods should trust. */
    public static final String ENV_ROOT_CA_FROM_JVM = "KUMO_ROOT_CA_FROM_JVM_TRUST";
    /** Read by apimachinery's {@code StorageEncryption}: the resources encrypted at rest. */
    public static final String ENV_ENCRYPTED_RESOURCES = StorageEncryption.ENV_RESOURCES;
    /** Secrets, as kube-apiserver's usual EncryptionConfiguration; the fan-out must agree with the API. */
    static final String ENCRYPTED_RESOURCES = "secrets";
    /** The roots that sign API Gateway's certificates: what pods (and the loops) trust the API through. */
    static final String AMAZON_ROOT_CA = "CN=Amazon Root CA";
    /** Read by {@code CompactionHandler}. */
    public static final String ENV_COMPACTION_RETENTION_SECONDS = "KUMO_COMPACTION_RETENTION_SECONDS";
    /**
     * An HTTP API ends every request after 30 s, its hard limit; the handler ends a watch (a bounded long poll)
     * within it.
     */
    static final Duration API_TIMEOUT = Duration.seconds(30);
    /** Below the interval, so that a run ends before the next tick. */
    static final Duration COMPACTION_TIMEOUT = Duration.seconds(50);

    private final HttpApi api;
    private final ControlLoops loops;

    public ControlPlaneStack(Construct scope, String id, ControlPlaneStackProps props) {
        super(scope, id, StackProps.builder().env(props.env()).build());
        getTemplateOptions().setDescription(
                "kumo control plane: the API server, the event log's compaction and the control loops");
        Code code = Code.fromAsset(props.apiserverJar().toString());
        KumoFunction server = apiServer(props, code);
        this.api = httpApi(server);
        compaction(props, code);
        this.loops = new ControlLoops(this, "ControlLoops", new ControlLoopsProps(
                Code.fromAsset(props.controllersJar().toString()), props.store(), api.getApiEndpoint(),
                props.cluster(), ENCRYPTED_RESOURCES, props.loopMemoryMb(), props.schedulerMemoryMb(),
                props.loopSupportMemoryMb(), props.loopMaxConcurrency(), props.logRetention(), props.cloud()));
        // The admins, and each loop's role as its loop's user: the loops authenticate with IAM tokens.
        server.function().addEnvironment(ENV_IAM_MAPPINGS, IamMappings.json(this, props.admins(), loops.identities()));
        // Nodes read the API's URL here at boot: a name, not a CloudFormation reference, so the nodes stack does not
        // depend on this one.
        StringParameter.Builder.create(this, "ApiEndpointParameter")
                .parameterName(NodesStack.apiEndpointParameter(props.cluster()))
                .description("kumo " + props.cluster() + ": the API server's URL, read by nodes at boot")
                .stringValue(api.getApiEndpoint())
                .build();
        CfnOutput.Builder.create(this, OUTPUT_API_ENDPOINT)
                .description("The Kubernetes API: the server of a kubeconfig's cluster")
                .value(api.getApiEndpoint())
                .build();
    }

    public HttpApi api() {
        return api;
    }

    public ControlLoops loops() {
        return loops;
    }

    /**
     * SnapStart on: a cold start is a kubectl user (or a node agent) waiting. In the nodes' VPC when the props place
     * it there: its Hyperplane interfaces are made when the function or its VPC settings change, not per cold start
     * or restore; the init SnapStart snapshots (at publish) calls KMS, whose endpoint the nodes stack, deployed
     * first, already holds.
     */
    private KumoFunction apiServer(ControlPlaneStackProps props, Code code) {
        Map<String, String> environment = new HashMap<>(props.keys().environment());
        environment.put(ENV_CLUSTER_NAME, props.cluster());
        environment.put(ENV_ENCRYPTED_RESOURCES, ENCRYPTED_RESOURCES);
        environment.put(ENV_AUDIT_LOG, "-"); // one JSON line per event in the function's log group
        // kube-root-ca.crt: pods trust the API through Amazon's roots, which sign API Gateway's certificates.
        environment.put(ENV_ROOT_CA_FROM_JVM, AMAZON_ROOT_CA);
        KumoFunction server = new KumoFunction(this, "ApiServer", onStore(props, code, API_HANDLER)
                .description("kumo API server (Kubernetes REST) behind the HTTP API")
                .memoryMb(props.apiMemoryMb())
                .timeout(API_TIMEOUT)
                .environment(environment)
                .snapStart(true)
                .vpc(props.apiNetwork())
                .build());
        props.keys().grantApiServer(server.function());
        return server;
    }

    private HttpApi httpApi(KumoFunction server) {
        HttpApi http = HttpApi.Builder.create(this, "Api")
                .apiName(getStackName())
                .description("kumo: the Kubernetes API")
                .defaultIntegration(new HttpLambdaIntegration("ApiServer", server.entryPoint(),
                        HttpLambdaIntegrationProps.builder()
                                .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                                .build()))
                .build();
        setIntegrationTimeout(http, API_TIMEOUT);
        return http;
    }

    /**
     * CDK's integration props stop at 29 s, the limit of REST and WebSocket APIs; HTTP APIs allow 30 s, and the
     * template says so explicitly rather than relying on the service's default.
     */
    private static void setIntegrationTimeout(HttpApi http, Duration timeout) {
        for (IConstruct child : http.getNode().findAll()) {
            if (child instanceof CfnResource resource
                    && CfnIntegration.CFN_RESOURCE_TYPE_NAME.equals(resource.getCfnResourceType())) {
                resource.addPropertyOverride("TimeoutInMillis", timeout.toMilliseconds());
            }
        }
    }

    /**
     * SnapStart off: a run a minute keeps one environment warm, and nobody waits on a cold start. One run at a time
     * (reserved concurrency 1); a tick that finds the previous run still going is dropped rather than queued, since
     * the next one comes a minute later anyway.
     */
    private void compaction(ControlPlaneStackProps props, Code code) {
        KumoFunction compaction = new KumoFunction(this, "Compaction", onStore(props, code, COMPACTION_HANDLER)
                .description("kumo event log compaction: history older than the retention answers 410 Gone")
                .memoryMb(props.compactionMemoryMb())
                .timeout(COMPACTION_TIMEOUT)
                .environment(Map.of(ENV_COMPACTION_RETENTION_SECONDS,
                        props.compactionRetention().toSeconds().toString()))
                .reservedConcurrency(1)
                .build());
        MinuteTick.invoke(this, "CompactionSchedule", "Runs the event log's compaction", compaction);
    }

    /** A handler of the apiserver jar that reads and writes the store. */
    private static KumoFunctionProps.Builder onStore(ControlPlaneStackProps props, Code code, String handler) {
        return KumoFunctionProps.builder()
                .handler(handler)
                .code(code)
                .store(props.store())
                .logRetention(props.logRetention());
    }
}
