package dev.kumo.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.cloud.node.CloudNodeLoop;
import dev.kumo.cloud.provisioner.ProvisionerLoop;
import dev.kumo.cloud.route.RouteController;
import dev.kumo.cloud.service.ServiceController;
import dev.kumo.controllers.lambda.ControlLoopHandler;
import dev.kumo.controllers.lambda.LoopCatalog;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.properties;
import static dev.kumo.infra.Templates.ref;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each cloud loop's role in the app as {@code ./kumo deploy} wires it holds the nodes stack's statements of its cloud
 * parts only: exactly the EC2, ELBv2 and IAM actions its provider part calls (docs/cloud-aws.md), ELBv2 resources
 * named by ARN, and no other function holds any of them.
 */
class CloudLoopPermissionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Template PLANE = WiredTemplates.PLANE;
    private static final String ELB = "elasticloadbalancing:";
    private static final Set<String> LOAD_BALANCER_ACTIONS = Set.of(ELB + "DescribeLoadBalancers",
            ELB + "DescribeTargetGroups", ELB + "DescribeListeners", ELB + "DescribeTargetHealth",
            ELB + "CreateLoadBalancer", ELB + "CreateTargetGroup", ELB + "CreateListener", ELB + "AddTags",
            ELB + "ModifyListener", ELB + "DeleteListener", ELB + "RegisterTargets", ELB + "DeregisterTargets",
            ELB + "DeleteTargetGroup", ELB + "DeleteLoadBalancer", "iam:CreateServiceLinkedRole");
    /** What each loop's provider part calls, read from AwsInstances, AwsLoadBalancers and AwsRoutes. */
    private static final Map<String, Set<String>> EXPECTED = Map.of(
            ProvisionerLoop.NAME, Set.of("ec2:RunInstances", "ec2:CreateTags", "iam:PassRole",
                    "ec2:DescribeInstances", "ec2:TerminateInstances"),
            CloudNodeLoop.NAME, Set.of("ec2:DescribeInstances"),
            ServiceController.NAME, LOAD_BALANCER_ACTIONS,
            RouteController.NAME, Set.of("ec2:DescribeRouteTables", "ec2:DescribeInstances",
                    "ec2:ModifyInstanceAttribute", "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"));

    @Test
    void eachCloudLoopsRoleHasExactlyTheActionsOfItsParts() {
        List<String> cloudLoops = LoopCatalog.entries().stream()
                .filter(entry -> entry.user().equals(LoopCatalog.CLOUD_CONTROLLER_USER))
                .map(LoopCatalog.Entry::name).toList();
        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrderElementsOf(cloudLoops);
        EXPECTED.forEach((loop, actions) ->
                assertThat(cloudActions(roleOfLoop(loop))).as(loop).isEqualTo(new TreeSet<>(actions)));

        Set<String> route = cloudActions(roleOfLoop(RouteController.NAME));
        assertThat(route).doesNotContain("ec2:RunInstances", "ec2:TerminateInstances", "iam:PassRole")
                .noneMatch(action -> action.startsWith(ELB));
        Set<String> service = cloudActions(roleOfLoop(ServiceController.NAME));
        assertThat(service).doesNotContain("ec2:RunInstances", "ec2:CreateRoute", "ec2:DescribeInstances");
        assertThat(cloudActions(roleOfLoop(ProvisionerLoop.NAME))).doesNotContain("ec2:ModifyInstanceAttribute",
                "ec2:CreateRoute", "iam:CreateServiceLinkedRole").noneMatch(action -> action.startsWith(ELB));
    }

    /** ELBv2 calls other than Describe* name the network load balancers', target groups' and listeners' ARNs. */
    @Test
    void loadBalancerStatementsNameArnsAndTheClustersTag() {
        Map<String, List<String>> resourcesByAction = new TreeMap<>();
        Map<String, String> conditionsByAction = new TreeMap<>();
        for (Map<String, Object> statement : statements(roleOfLoop(ServiceController.NAME))) {
            for (String action : actions(statement)) {
                resourcesByAction.computeIfAbsent(action, a -> new ArrayList<>()).addAll(resources(statement));
                conditionsByAction.merge(action, json(statement.get("Condition")), String::concat);
            }
        }
        String loadBalancer = ":elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:\"},\"loadbalancer/net/*/*\"";
        String targetGroup = ":elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:\"},\"targetgroup/*/*\"";
        String listener = ":elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:\"},\"listener/net/*/*/*\"";
        resourcesByAction.forEach((action, resources) -> {
            if (action.startsWith(ELB + "Describe")) {
                assertThat(resources).as(action).containsExactly("\"*\"");
            } else if (action.startsWith(ELB)) {
                assertThat(resources).as(action).isNotEmpty().doesNotContain("\"*\"")
                        .allMatch(r -> r.contains(loadBalancer) || r.contains(targetGroup) || r.contains(listener));
            }
        });
        assertThat(String.join("", resourcesByAction.get(ELB + "CreateLoadBalancer"))).contains(loadBalancer);
        assertThat(String.join("", resourcesByAction.get(ELB + "RegisterTargets"))).contains(targetGroup)
                .doesNotContain(loadBalancer);
        assertThat(String.join("", resourcesByAction.get(ELB + "ModifyListener"))).contains(listener);
        assertThat(String.join("", resourcesByAction.get("iam:CreateServiceLinkedRole")))
                .contains("AWSServiceRoleForElasticLoadBalancing");

        String requestTag = "\"aws:RequestTag/kumo:cluster\":\"prod\"";
        String resourceTag = "\"aws:ResourceTag/kumo:cluster\":\"prod\"";
        List.of("CreateLoadBalancer", "CreateTargetGroup", "CreateListener").forEach(create ->
                assertThat(conditionsByAction.get(ELB + create)).as(create).contains(requestTag));
        // Tags only by the calls that create (no existing load balancer tagged into the cluster, then deleted).
        assertThat(conditionsByAction.get(ELB + "AddTags")).contains(requestTag).contains(
                "\"elasticloadbalancing:CreateAction\":[\"CreateLoadBalancer\",\"CreateTargetGroup\",\"CreateListener\"]");
        List.of("ModifyListener", "DeleteListener", "RegisterTargets", "DeregisterTargets", "DeleteTargetGroup",
                "DeleteLoadBalancer").forEach(change ->
                assertThat(conditionsByAction.get(ELB + change)).as(change).contains(resourceTag));
    }

    /** Only Describe calls, which EC2 and ELBv2 authorize on no resource, are allowed on every resource. */
    @Test
    void onlyDescribeCallsAreAllowedOnEveryResource() {
        for (String loop : EXPECTED.keySet()) {
            for (Map<String, Object> statement : statements(roleOfLoop(loop))) {
                if (resources(statement).contains("\"*\"")) {
                    assertThat(actions(statement)).as(loop)
                            .allMatch(action -> action.startsWith("ec2:Describe") || action.startsWith(ELB + "Describe"));
                }
            }
        }
    }

    /** No other function of the control plane holds any of the cloud loops' actions. */
    @Test
    void noOtherFunctionHoldsACloudAction() {
        Set<String> cloudRoles = new HashSet<>();
        EXPECTED.keySet().forEach(loop -> cloudRoles.add(roleOfLoop(loop)));
        Set<String> cloudActions = new HashSet<>();
        EXPECTED.values().forEach(cloudActions::addAll);
        int others = 0;
        for (Map<String, Object> function : PLANE.findResources("AWS::Lambda::Function").values()) {
            String role = roleOf(properties(function));
            if (cloudRoles.contains(role)) {
                continue;
            }
            others++;
            Set<String> actions = new TreeSet<>();
            statements(role).forEach(statement -> actions.addAll(actions(statement)));
            assertThat(actions).as(role).doesNotContainAnyElementsOf(cloudActions)
                    .noneMatch(action -> action.startsWith(ELB));
        }
        assertThat(others).isGreaterThan(LoopCatalog.entries().size() - EXPECTED.size());
    }

    private static String roleOfLoop(String loop) {
        return roleOf(properties(only(PLANE, "AWS::Lambda::Function", Map.of("Handler",
                ControlLoopHandler.class.getName() + "::handleRequest", "Environment", Map.of("Variables",
                        Match.objectLike(Map.of(ControlLoopHandler.ENV_LOOP, loop))))).getValue()));
    }

    private static String roleOf(Map<String, Object> function) {
        return (String) ((List<?>) ((Map<?, ?>) function.get("Role")).get("Fn::GetAtt")).get(0);
    }

    /** The EC2, ELBv2 and IAM actions the role's policies allow. */
    private static Set<String> cloudActions(String role) {
        Set<String> actions = new TreeSet<>();
        statements(role).forEach(statement -> actions(statement).stream()
                .filter(action -> action.startsWith("ec2:") || action.startsWith(ELB) || action.startsWith("iam:"))
                .forEach(actions::add));
        return actions;
    }

    /** Every statement of the policies attached to the role (a role without a policy has none). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(String role) {
        List<Map<String, Object>> statements = new ArrayList<>();
        PLANE.findResources("AWS::IAM::Policy", Map.of("Properties", Map.of("Roles", Match.arrayWith(
                List.of(ref(role)))))).values().forEach(policy -> {
                    Map<String, Object> document = (Map<String, Object>) properties(policy).get("PolicyDocument");
                    statements.addAll((List<Map<String, Object>>) document.get("Statement"));
                });
        statements.forEach(statement -> assertThat(statement).containsEntry("Effect", "Allow"));
        return statements;
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of((String) action);
    }

    /** Each resource as JSON: {@code "*"}, or the ARN's {@code Fn::Join}. */
    private static List<String> resources(Map<String, Object> statement) {
        Object resource = statement.get("Resource");
        return (resource instanceof List<?> list ? list : List.of(resource)).stream()
                .map(CloudLoopPermissionsTest::json).toList();
    }

    private static String json(Object value) {
        try {
            return value == null ? "" : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + value, e);
        }
    }
}
