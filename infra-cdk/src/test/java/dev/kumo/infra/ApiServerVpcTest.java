package dev.kumo.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.infra.controlplane.ControlPlaneStack;
import dev.kumo.infra.nodes.NodesStack;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.properties;
import static dev.kumo.infra.Templates.ref;
import static dev.kumo.infra.Templates.resolveImport;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server function in the nodes' VPC, across the two stacks as {@code ./kumo deploy} wires them: it runs in
 * the isolated API subnets with its own security group, which is the only source the nodes accept on the agent's
 * port; those subnets reach DynamoDB through a gateway endpoint on their route table and KMS and STS through
 * interface endpoints, and nothing outside the VPC otherwise; its role may manage its network interfaces there only.
 */
class ApiServerVpcTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Template NODES = WiredTemplates.NODES;
    private static final Template PLANE = WiredTemplates.PLANE;

    @Test
    void theApiServerRunsInTheIsolatedApiSubnetsWithItsOwnSecurityGroupAndKeepsSnapStart() {
        Map<String, Object> function = apiFunction();
        Map<?, ?> vpc = (Map<?, ?>) function.get("VpcConfig");
        assertThat(((List<?>) vpc.get("SubnetIds")).stream().map(id -> resolveImport(NODES, id)).toList())
                .containsExactlyInAnyOrderElementsOf(apiSubnets().stream().map(Templates::ref).toList());
        assertThat(((List<?>) vpc.get("SecurityGroupIds")).stream().map(id -> resolveImport(NODES, id)).toList())
                .containsExactly(groupId(apiGroup()));
        assertThat(function.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));

        // /24s past the nodes' /18 (whose addresses pick pod CIDRs), no public addresses
        for (String subnet : apiSubnets()) {
            Map<String, Object> p = properties(NODES.findResources("AWS::EC2::Subnet").get(subnet));
            assertThat(p.get("MapPublicIpOnLaunch")).isEqualTo(false);
            assertThat(JSON.valueToTree(p.get("CidrBlock")).toString()).containsPattern("\\[6[45],\\{\"Fn::Cidr\"")
                    .contains("[\"10.0.0.0/16\",256,\"8\"]");
        }
        // Only the API function needs the nodes: compaction and the loops stay out of the VPC.
        PLANE.findResources("AWS::Lambda::Function").forEach((id, resource) -> {
            if (!ControlPlaneStack.API_HANDLER.equals(properties(resource).get("Handler"))) {
                assertThat(properties(resource)).as(id).doesNotContainKey("VpcConfig");
            }
        });
    }

    @Test
    void theApiSubnetsRouteNowhereButToDynamoDbsGatewayEndpoint() {
        Set<Object> tables = new HashSet<>();
        for (Object association : NODES.findResources("AWS::EC2::SubnetRouteTableAssociation").values()) {
            Map<String, Object> p = properties(cast(association));
            if (apiSubnets().contains(((Map<?, ?>) p.get("SubnetId")).get("Ref"))) {
                tables.add(p.get("RouteTableId"));
            }
        }
        assertThat(tables).hasSize(1);
        Object table = tables.iterator().next();
        assertThat(NODES.findResources("AWS::EC2::Route").values())
                .noneSatisfy(route -> assertThat(properties(route).get("RouteTableId")).isEqualTo(table));

        Map<String, Object> gateway = properties(only(NODES, "AWS::EC2::VPCEndpoint",
                Map.of("VpcEndpointType", "Gateway")).getValue());
        assertThat(gateway.get("ServiceName")).isEqualTo(Map.of("Fn::Sub", "com.amazonaws.${AWS::Region}.dynamodb"));
        assertThat(gateway.get("RouteTableIds")).isEqualTo(List.of(table));
    }

    @Test
    void kmsAndStsAreReachedThroughInterfaceEndpointsOpenToTheApiServerOnly() {
        Map<String, Map<String, Object>> endpoints = NODES.findResources("AWS::EC2::VPCEndpoint",
                Map.of("Properties", Map.of("VpcEndpointType", "Interface")));
        List<Object> services = new ArrayList<>();
        String endpointGroup = securityGroup("kumo prod VPC endpoints of the API server function (KMS, STS)");
        for (Map<String, Object> endpoint : endpoints.values()) {
            Map<String, Object> p = properties(endpoint);
            services.add(p.get("ServiceName"));
            assertThat(p.get("PrivateDnsEnabled")).isEqualTo(true);
            assertThat((List<Object>) cast(p.get("SubnetIds"))).containsExactlyInAnyOrderElementsOf(
                    apiSubnets().stream().map(Templates::ref).toList());
            assertThat(p.get("SecurityGroupIds")).isEqualTo(List.of(groupId(endpointGroup)));
        }
        assertThat(services).containsExactlyInAnyOrder(Map.of("Fn::Sub", "com.amazonaws.${AWS::Region}.kms"),
                Map.of("Fn::Sub", "com.amazonaws.${AWS::Region}.sts"));
        assertThat(ingressOf(endpointGroup)).singleElement().satisfies(rule -> {
            assertThat(rule).containsEntry("IpProtocol", "tcp").containsEntry("FromPort", 443)
                    .containsEntry("ToPort", 443).doesNotContainKey("CidrIp");
            assertThat(rule.get("SourceSecurityGroupId")).isEqualTo(groupId(apiGroup()));
        });
    }

    @Test
    void theEndpointsLetThroughOnlyThisAccountsTablesAndKeysAndTheTokenCheck() {
        Map<String, Object> gateway = properties(only(NODES, "AWS::EC2::VPCEndpoint",
                Map.of("VpcEndpointType", "Gateway")).getValue());
        assertThat(onlyStatement(gateway)).containsEntry("Effect", "Allow").containsEntry("Principal", "*")
                .containsEntry("Action", List.of("dynamodb:*")).containsEntry("Resource", Map.of("Fn::Sub",
                        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*"));

        Map<Object, Map<String, Object>> byService = new LinkedHashMap<>();
        NODES.findResources("AWS::EC2::VPCEndpoint", Map.of("Properties", Map.of("VpcEndpointType", "Interface")))
                .values().forEach(endpoint -> byService.put(properties(endpoint).get("ServiceName"),
                        onlyStatement(properties(endpoint))));
        assertThat(byService.get(Map.of("Fn::Sub", "com.amazonaws.${AWS::Region}.kms")))
                .containsEntry("Effect", "Allow").containsEntry("Principal", "*")
                .containsEntry("Action", List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:GetPublicKey",
                        "kms:Sign"))
                .containsEntry("Resource", Map.of("Fn::Sub",
                        "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"));
        // the presigned GetCallerIdentity of an IAM token carries the user's own signature: any principal, that call
        assertThat(byService.get(Map.of("Fn::Sub", "com.amazonaws.${AWS::Region}.sts")))
                .containsEntry("Effect", "Allow").containsEntry("Principal", "*")
                .containsEntry("Action", List.of("sts:GetCallerIdentity")).containsEntry("Resource", "*");
        // every KMS call the API function's role lets it make itself passes the KMS endpoint; the store key's calls
        // (conditioned on kms:ViaService) are DynamoDB's on its behalf, which do not cross the VPC's endpoint
        String role = (String) ((List<?>) ((Map<?, ?>) apiFunction().get("Role")).get("Fn::GetAtt")).get(0);
        Set<Object> directKmsActions = new HashSet<>();
        PLANE.findResources("AWS::IAM::Policy").values().forEach(policy -> {
            if (!((List<?>) properties(policy).get("Roles")).contains(Map.of("Ref", role))) {
                return;
            }
            Map<?, ?> document = (Map<?, ?>) properties(policy).get("PolicyDocument");
            for (Object each : (List<?>) document.get("Statement")) {
                Map<?, ?> statement = (Map<?, ?>) each;
                if (JSON.valueToTree(statement.get("Condition")).toString().contains("kms:ViaService")) {
                    continue;
                }
                Object action = statement.get("Action");
                for (Object name : action instanceof List<?> list ? list : List.of(action)) {
                    if (name.toString().startsWith("kms:")) {
                        directKmsActions.add(name);
                    }
                }
            }
        });
        assertThat(directKmsActions).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey",
                "kms:GetPublicKey", "kms:Sign");
    }

    private static Map<String, Object> onlyStatement(Map<String, Object> endpointProperties) {
        Map<?, ?> document = (Map<?, ?>) endpointProperties.get("PolicyDocument");
        assertThat(document.get("Version")).isEqualTo("2012-10-17");
        List<?> statements = (List<?>) document.get("Statement");
        assertThat(statements).hasSize(1);
        return cast(statements.get(0));
    }

    @Test
    void theNodesOpenTheAgentsPortToTheApiServerAloneAndItReachesOnlyThatAndHttps() {
        String nodes = securityGroup("kumo prod nodes: pod traffic, NodePorts, the agent port; no SSH (use SSM)");
        List<Map<String, Object>> agent = ingressOf(nodes).stream()
                .filter(rule -> !"-1".equals(rule.get("IpProtocol")) && rule.get("FromPort") instanceof Integer from
                        && rule.get("ToPort") instanceof Integer to && from <= NodesStack.AGENT_PORT
                        && NodesStack.AGENT_PORT <= to).toList();
        assertThat(agent).singleElement().satisfies(rule ->
                assertThat(rule.get("SourceSecurityGroupId")).isEqualTo(groupId(apiGroup())));

        List<Map<String, Object>> egress = new ArrayList<>(cast(properties(NODES.findResources(
                "AWS::EC2::SecurityGroup").get(apiGroup())).getOrDefault("SecurityGroupEgress", List.of())));
        for (Object rule : NODES.findResources("AWS::EC2::SecurityGroupEgress").values()) {
            Map<String, Object> p = properties(cast(rule));
            if (p.get("GroupId").equals(groupId(apiGroup()))) {
                egress.add(p);
            }
        }
        assertThat(egress).hasSize(2);
        assertThat(egress).anySatisfy(rule -> assertThat(rule).containsEntry("IpProtocol", "tcp")
                .containsEntry("FromPort", 443).containsEntry("ToPort", 443).containsEntry("CidrIp", "0.0.0.0/0"));
        assertThat(egress).anySatisfy(rule -> assertThat(rule).containsEntry("IpProtocol", "tcp")
                .containsEntry("FromPort", NodesStack.AGENT_PORT).containsEntry("ToPort", NodesStack.AGENT_PORT)
                .containsEntry("DestinationSecurityGroupId", groupId(nodes)));
    }

    /**
     * What AWSLambdaVPCAccessExecutionRole grants, as narrow as EC2 allows: describing takes {@code *}, creating an
     * interface only in the API subnets with the API group, deleting and (un)assigning addresses only interfaces.
     * The function depends on the policy, so Lambda finds the permissions when it creates the interfaces.
     */
    @Test
    void theApiServersRoleMayManageNetworkInterfacesInItsSubnetsWithItsGroupOnly() {
        String role = (String) ((List<?>) ((Map<?, ?>) apiFunction().get("Role")).get("Fn::GetAtt")).get(0);
        Map.Entry<String, Map<String, Object>> policy = only(PLANE, "AWS::IAM::Policy", Map.of("Roles", List.of(ref(role))));
        List<Map<String, Object>> statements = cast(((Map<?, ?>) properties(policy.getValue()).get("PolicyDocument"))
                .get("Statement"));
        Map<String, String> ec2 = new LinkedHashMap<>();
        for (Map<String, Object> statement : statements) {
            Object action = statement.get("Action");
            List<String> actions = action instanceof String one ? List.of(one) : cast(action);
            if (actions.stream().anyMatch(a -> a.startsWith("ec2:"))) {
                assertThat(statement).doesNotContainKey("Condition");
                String resources = JSON.valueToTree(withImportsResolved(statement.get("Resource"))).toString();
                actions.forEach(a -> ec2.put(a, resources));
            }
        }
        assertThat(ec2).containsOnlyKeys("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses");
        assertThat(ec2.get("ec2:DescribeNetworkInterfaces")).isEqualTo("\"*\"");
        assertThat(ec2.get("ec2:DescribeSubnets")).isEqualTo("\"*\"");
        String create = ec2.get("ec2:CreateNetworkInterface");
        assertThat(create).contains(":network-interface/*").contains(":security-group/\",{\"Fn::GetAtt\":[\""
                + apiGroup() + "\",\"GroupId\"]}").doesNotContain("\"*\"");
        for (String subnet : apiSubnets()) {
            assertThat(create).contains(":subnet/\",{\"Ref\":\"" + subnet + "\"}");
        }
        for (String action : List.of("ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                "ec2:UnassignPrivateIpAddresses")) {
            assertThat(ec2.get(action)).as(action).contains(":network-interface/*").doesNotContain("subnet/")
                    .doesNotContain("\"*\"");
        }
        String functionId = only(PLANE, "AWS::Lambda::Function", Map.of("Handler", ControlPlaneStack.API_HANDLER))
                .getKey();
        assertThat(JSON.valueToTree(PLANE.toJSON().get("Resources")).get(functionId).get("DependsOn").toString())
                .contains(policy.getKey());
        PLANE.allResourcesProperties("AWS::IAM::Role", Map.of("ManagedPolicyArns",
                software.amazon.awscdk.assertions.Match.absent()));
    }

    /** {@code kumo:apiInVpc=false}: no logs, no endpoints to pay for, and the agents' port open to nobody. */
    @Test
    void outsideTheVpcTheApiServerHasNoSubnetsNoEndpointsAndTheAgentsPortIsClosed() {
        List<Template> templates = WiredTemplates.nodesAndPlane(Map.of(DeploymentConfig.API_IN_VPC, "false"));
        Template nodes = templates.get(0);
        Template plane = templates.get(1);
        nodes.resourceCountIs("AWS::EC2::VPCEndpoint", 0);
        nodes.resourceCountIs("AWS::EC2::Subnet", 2); // the nodes' own
        assertThat(JSON.valueToTree(nodes.toJSON()).toString()).doesNotContain("\"FromPort\":10250")
                .doesNotContain("API server function");
        Map<String, Object> function = properties(only(plane, "AWS::Lambda::Function",
                Map.of("Handler", ControlPlaneStack.API_HANDLER)).getValue());
        assertThat(function).doesNotContainKey("VpcConfig");
        assertThat(JSON.valueToTree(plane.toJSON()).toString()).doesNotContain("ec2:CreateNetworkInterface");
    }

    private static Map<String, Object> apiFunction() {
        return properties(only(PLANE, "AWS::Lambda::Function", Map.of("Handler", ControlPlaneStack.API_HANDLER))
                .getValue());
    }

    /** The nodes stack's subnets without public addresses: the API function's (the nodes' are public here). */
    private static List<String> apiSubnets() {
        List<String> subnets = new ArrayList<>();
        NODES.findResources("AWS::EC2::Subnet").forEach((id, subnet) -> {
            if (Boolean.FALSE.equals(properties(subnet).get("MapPublicIpOnLaunch"))) {
                subnets.add(id);
            }
        });
        assertThat(subnets).hasSize(2);
        return subnets;
    }

    private static String apiGroup() {
        return securityGroup("kumo prod API server function: the node agents and AWS APIs only");
    }

    private static String securityGroup(String description) {
        return only(NODES, "AWS::EC2::SecurityGroup", Map.of("GroupDescription", description)).getKey();
    }

    private static Map<String, Object> groupId(String securityGroup) {
        return Map.of("Fn::GetAtt", List.of(securityGroup, "GroupId"));
    }

    private static List<Map<String, Object>> ingressOf(String group) {
        List<Map<String, Object>> ingress = new ArrayList<>(cast(properties(NODES.findResources(
                "AWS::EC2::SecurityGroup").get(group)).getOrDefault("SecurityGroupIngress", List.of())));
        for (Object rule : NODES.findResources("AWS::EC2::SecurityGroupIngress").values()) {
            Map<String, Object> p = properties(cast(rule));
            if (p.get("GroupId").equals(groupId(group))) {
                ingress.add(p);
            }
        }
        return ingress;
    }

    /** {@code value} with every {@code Fn::ImportValue} of the nodes stack's exports replaced by what it exports. */
    private static Object withImportsResolved(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey("Fn::ImportValue")) {
                return resolveImport(NODES, value);
            }
            Map<Object, Object> resolved = new LinkedHashMap<>();
            map.forEach((k, v) -> resolved.put(k, withImportsResolved(v)));
            return resolved;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ApiServerVpcTest::withImportsResolved).toList();
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
