package dev.kumo.infra.controlplane;

import dev.kumo.cloud.CloudPart;
import dev.kumo.infra.state.StateStack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.kumo.infra.Templates.app;
import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.properties;
import static dev.kumo.infra.Templates.ref;
import static dev.kumo.infra.Templates.otherStandInJar;
import static dev.kumo.infra.Templates.standInJar;
import static dev.kumo.infra.Templates.tempDir;

/**
 * The state and control plane templates of one app (cluster {@code prod}, an admin role and an admin user),
 * synthesized once for the tests of this package, and lookups by logical id.
 */
final class PlaneTemplates {
    /** What the nodes stack gives the cloud controller's functions (values as a deployed stack would have them). */
    static final Map<String, String> CLOUD_ENVIRONMENT = Map.of("KUMO_CLUSTER", "prod",
            "KUMO_LAUNCH_TEMPLATE_ID", "lt-0abc", "KUMO_NODE_SUBNETS", "eu-west-1a=subnet-1",
            "KUMO_LB_SUBNETS", "subnet-1", "KUMO_ROUTE_TABLE_ID", "rtb-0abc");
    /** One stand-in statement per cloud part (the nodes stack's real ones: CloudLoopPermissionsTest). */
    static final Map<CloudPart, PolicyStatement> CLOUD_STATEMENTS = Map.of(
            CloudPart.INSTANCES, standIn("ec2:RunInstances", "launch-template/lt-0abc"),
            CloudPart.INSTANCE_LOOKUP, standIn("ec2:DescribeInstances", "instance/i-0abc"),
            CloudPart.LOAD_BALANCERS, standIn("elasticloadbalancing:CreateLoadBalancer", "loadbalancer/net/a/1"),
            CloudPart.ROUTES, standIn("ec2:CreateRoute", "route-table/rtb-0abc"));
    static final Template STATE;
    static final Template PLANE;

    static {
        Path dir = tempDir("kumo-plane");
        App app = app();
        StateStack stateStack = new StateStack(app, "state", StackProps.builder().build());
        ControlPlaneStack planeStack = new ControlPlaneStack(app, "plane", ControlPlaneStackProps.builder()
                .store(stateStack.store())
                .keys(stateStack.keys())
                .cluster("prod")
                .admins(List.of("arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:user/alice"))
                .apiserverJar(standInJar(dir))
                .controllersJar(standInJar(dir))
                .cloud(new CloudControllerProps(Code.fromAsset(otherStandInJar(dir).toString()), CLOUD_ENVIRONMENT,
                        CLOUD_STATEMENTS.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                                entry -> List.of(entry.getValue())))))
                .build());
        STATE = Template.fromStack(stateStack);
        PLANE = Template.fromStack(planeStack);
    }

    private PlaneTemplates() {
    }

    private static PolicyStatement standIn(String action, String resource) {
        String service = action.substring(0, action.indexOf(':'));
        return PolicyStatement.Builder.create().actions(List.of(action))
                .resources(List.of("arn:aws:" + service + ":eu-west-1:123456789012:" + resource)).build();
    }

    /** The one function running {@code handler}. */
    static String functionId(String handler) {
        return only(PLANE, "AWS::Lambda::Function", Map.of("Handler", handler)).getKey();
    }

    static Map<String, Object> function(String id) {
        return properties(PLANE.findResources("AWS::Lambda::Function").get(id));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> variables(String function) {
        return (Map<String, Object>) ((Map<?, ?>) function(function).get("Environment")).get("Variables");
    }

    static String roleOf(String function) {
        return (String) ((List<?>) ((Map<?, ?>) function(function).get("Role")).get("Fn::GetAtt")).get(0);
    }

    static String logGroupOf(String function) {
        return (String) ((Map<?, ?>) ((Map<?, ?>) function(function).get("LoggingConfig")).get("LogGroup")).get("Ref");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(String role) {
        Map<String, Object> policy = properties(only(PLANE, "AWS::IAM::Policy",
                Map.of("Roles", List.of(ref(role)))).getValue());
        return (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
    }

    /** The state's table whose sort key is {@code sortKey} ({@code k}: objects, {@code rv}: the log). */
    static String table(String sortKey) {
        return only(STATE, "AWS::DynamoDB::Table", Map.of("KeySchema",
                Match.arrayWith(List.of(Map.of("AttributeName", sortKey, "KeyType", "RANGE"))))).getKey();
    }

    static String storeKey() {
        return only(STATE, "AWS::KMS::Key", Map.of("Description", Match.stringLikeRegexp("store"))).getKey();
    }
}
