package dev.kumo.infra.nodes;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.kumo.infra.Templates.app;
import static dev.kumo.infra.Templates.properties;
import static dev.kumo.infra.Templates.ref;
import static org.assertj.core.api.Assertions.assertThat;

class NodesStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theLaunchTemplateRunsAmazonLinux2023WithImdsv2AndAnEncryptedGp3Root() {
        Template template = template(false, NodeArchitecture.ARM64);
        Map<String, Map<String, Object>> parameters = template.findParameters("*");
        assertThat(parameters.values()).anySatisfy(p -> {
            assertThat(((Map<?, ?>) p).get("Type")).isEqualTo("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
            assertThat(((Map<?, ?>) p).get("Default"))
                    .isEqualTo("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
        });
        Map<String, Object> data = launchTemplateData(template);
        assertThat(data.get("MetadataOptions")).isEqualTo(Map.of("HttpTokens", "required", "HttpPutResponseHopLimit", 1));
        assertThat(data.get("BlockDeviceMappings")).isEqualTo(List.of(Map.of("DeviceName", "/dev/xvda",
                "Ebs", Map.of("DeleteOnTermination", true, "Encrypted", true, "VolumeSize", 20, "VolumeType", "gp3"))));
        assertThat(data.get("InstanceType")).isEqualTo("t4g.small");
        // Public subnets: the nodes get public IPs through the launch template's interface.
        assertThat(data.get("NetworkInterfaces").toString()).contains("AssociatePublicIpAddress=true");

        Template x86 = template(false, NodeArchitecture.X86_64);
        assertThat(x86.findParameters("*").values().toString()).contains("al2023-ami-kernel-default-x86_64");
        assertThat(launchTemplateData(x86).get("InstanceType")).isEqualTo("t3.small");
    }

    @Test
    void theInstanceProfileCarriesTheNodeRoleWithSsmAndOnlyWhatBootingNeeds() {
        Template template = template(false, NodeArchitecture.ARM64);
        String roleId = only(template, "AWS::IAM::Role").getKey();
        Map<String, Object> role = properties(only(template, "AWS::IAM::Role").getValue());
        assertThat(JSON.valueToTree(role.get("AssumeRolePolicyDocument")).toString()).contains("ec2.amazonaws.com");
        assertThat(role.get("ManagedPolicyArns").toString()).contains("AmazonSSMManagedInstanceCore");
        Map<String, Object> profile = properties(only(template, "AWS::IAM::InstanceProfile").getValue());
        assertThat(profile.get("Roles")).isEqualTo(List.of(ref(roleId)));
        String profileId = only(template, "AWS::IAM::InstanceProfile").getKey();
        assertThat(launchTemplateData(template).get("IamInstanceProfile").toString()).contains(profileId);

        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : template.findResources("AWS::IAM::Policy").values()) {
            Map<String, Object> p = properties(cast(policy));
            assertThat(p.get("Roles")).isEqualTo(List.of(ref(roleId)));
            statements.addAll(cast(((Map<?, ?>) p.get("PolicyDocument")).get("Statement")));
        }
        List<String> actions = new ArrayList<>();
        for (Map<String, Object> statement : statements) {
            Object action = statement.get("Action");
            if (action instanceof String one) {
                actions.add(one);
            } else {
                actions.addAll(cast(action));
            }
            assertThat(statement.get("Resource").toString()).doesNotContain("\"*\"").isNotEqualTo("*");
        }
        assertThat(actions).containsExactlyInAnyOrder("s3:GetObject*", "s3:GetBucket*", "s3:List*",
                "ssm:GetParameter", "ec2:ModifyInstanceAttribute");
        Map<String, Object> ssm = statements.stream().filter(s -> "ssm:GetParameter".equals(s.get("Action")))
                .findFirst().orElseThrow();
        assertThat(ssm.get("Resource").toString()).contains("parameter/kumo/prod/api-endpoint")
                .contains("parameter/kumo/prod/bootstrap-token");
        Map<String, Object> modify = statements.stream()
                .filter(s -> "ec2:ModifyInstanceAttribute".equals(s.get("Action"))).findFirst().orElseThrow();
        assertThat(modify.get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("ec2:ResourceTag/kumo:cluster", "prod")));
    }

    @Test
    void securityGroupsOpenPodTrafficNodePortsAndTheAgentButNoSsh() {
        Template template = template(false, NodeArchitecture.ARM64);
        String nodes = securityGroup(template, "kumo prod nodes: pod traffic, NodePorts, the agent port; no SSH (use SSM)");
        String balancers = securityGroup(template,
                "kumo prod load balancers of Services (listeners are opened per Service)");
        String apiServer = securityGroup(template, "kumo prod API server function: the node agents and AWS APIs only");
        List<Map<String, Object>> ingress = new ArrayList<>();
        ingress.addAll(cast(properties(cast(template.findResources("AWS::EC2::SecurityGroup").get(nodes)))
                .getOrDefault("SecurityGroupIngress", List.of())));
        for (Object rule : template.findResources("AWS::EC2::SecurityGroupIngress").values()) {
            Map<String, Object> p = properties(cast(rule));
            if (p.get("GroupId").toString().contains(nodes)) {
                ingress.add(p);
            }
        }
        // SSH (or anything) from outside only through the rules above: nothing covers port 22 but the nodes'
        // and pods' own all-traffic rules.
        assertThat(ingress.stream().filter(rule -> covers(rule, 22))).allSatisfy(rule -> assertThat(
                "100.64.0.0/10".equals(rule.get("CidrIp"))
                        || String.valueOf(rule.get("SourceSecurityGroupId")).contains(nodes)).isTrue());
        assertThat(ingress).noneSatisfy(rule -> assertThat(rule.get("CidrIp")).isEqualTo("0.0.0.0/0"));
        assertThat(ingress).anySatisfy(rule -> {
            assertThat(rule.get("IpProtocol")).isEqualTo("-1");
            assertThat(String.valueOf(rule.get("SourceSecurityGroupId"))).contains(nodes);
        });
        assertThat(ingress).anySatisfy(rule -> {
            assertThat(rule.get("IpProtocol")).isEqualTo("-1");
            assertThat(rule.get("CidrIp")).isEqualTo("100.64.0.0/10");
        });
        for (String protocol : List.of("tcp", "udp")) {
            assertThat(ingress).anySatisfy(rule -> assertThat(rule).containsEntry("IpProtocol", protocol)
                    .containsEntry("FromPort", 30000).containsEntry("ToPort", 32767).containsEntry("CidrIp", "10.0.0.0/16"));
            assertThat(ingress).anySatisfy(rule -> {
                assertThat(rule).containsEntry("IpProtocol", protocol).containsEntry("FromPort", 30000)
                        .containsEntry("ToPort", 32767);
                assertThat(String.valueOf(rule.get("SourceSecurityGroupId"))).contains(balancers);
            });
        }
        // The agent's port: from the API server function's group, no address range (not even the VPC's).
        List<Map<String, Object>> agent = ingress.stream().filter(rule -> covers(rule, NodesStack.AGENT_PORT)
                && !"-1".equals(rule.get("IpProtocol"))).toList();
        assertThat(agent).singleElement().satisfies(rule -> {
            assertThat(rule).containsEntry("IpProtocol", "tcp").containsEntry("FromPort", NodesStack.AGENT_PORT)
                    .containsEntry("ToPort", NodesStack.AGENT_PORT).doesNotContainKey("CidrIp");
            assertThat(rule.get("SourceSecurityGroupId")).isEqualTo(Map.of("Fn::GetAtt", List.of(apiServer, "GroupId")));
        });
    }

    @Test
    void publicNodesShareOneRouteTableWithTheInternetGatewayAndNoNat() {
        NodesStack stack = stack(app(), false, NodeArchitecture.ARM64);
        Template template = Template.fromStack(stack);
        // two node subnets and their table, two isolated subnets of the API server function and theirs
        counts(template, Map.of("AWS::EC2::VPC", 1, "AWS::EC2::Subnet", 4, "AWS::EC2::RouteTable", 2,
                "AWS::EC2::NatGateway", 0));
        Object table = output(template, NodesStack.OUTPUT_ROUTE_TABLE);
        Object apiTable = stack.resolve(stack.apiServerNetwork().orElseThrow().routeTableId());
        assertThat(table).isNotEqualTo(apiTable);
        Map<String, Map<String, Object>> subnets = template.findResources("AWS::EC2::Subnet");
        for (Object association : template.findResources("AWS::EC2::SubnetRouteTableAssociation").values()) {
            Map<String, Object> p = properties(cast(association));
            String subnet = (String) ((Map<?, ?>) p.get("SubnetId")).get("Ref");
            boolean node = (Boolean) properties(subnets.get(subnet)).get("MapPublicIpOnLaunch");
            assertThat(p.get("RouteTableId")).as(subnet).isEqualTo(node ? table : apiTable);
        }
        assertThat(subnets.values().stream().filter(s -> (Boolean) properties(s).get("MapPublicIpOnLaunch")))
                .hasSize(2);
    }

    @Test
    void privateNodesGetTheirOwnRouteTableThroughOneNatGateway() {
        Template template = template(true, NodeArchitecture.ARM64);
        counts(template, Map.of("AWS::EC2::Subnet", 6, "AWS::EC2::RouteTable", 3, "AWS::EC2::NatGateway", 1));
        Map<String, Object> privateRoute = properties(template.findResources("AWS::EC2::Route",
                Map.of("Properties", Map.of("NatGatewayId", ref(natId(template))))).values().iterator().next());
        assertThat(output(template, NodesStack.OUTPUT_ROUTE_TABLE)).isEqualTo(privateRoute.get("RouteTableId"));
        assertThat(launchTemplateData(template).get("NetworkInterfaces").toString())
                .contains("AssociatePublicIpAddress=false");
        assertThat(output(template, NodesStack.OUTPUT_NODE_SUBNETS))
                .isNotEqualTo(output(template, NodesStack.OUTPUT_LB_SUBNETS));
    }

    @Test
    void theUserDataInstallsTheRuntimeChecksTheCniArchiveAndStartsTheAgentFromItsAsset() {
        Template template = template(false, NodeArchitecture.ARM64);
        String script = userData(template);
        assertThat(script).startsWith("#!/bin/bash\nset -euo pipefail\n")
                .contains("dnf install -y containerd runc nftables iproute java-21-amazon-corretto-headless")
                .contains(NodeArchitecture.ARM64.cniPluginsUrl())
                .contains("echo '" + NodeArchitecture.ARM64.cniPluginsSha512() + "  /tmp/cni-plugins.tgz' | sha512sum -c -")
                .contains("cat > /etc/containerd/config.toml <<'KUMO_FILE'\n" + NodeUserData.dist(NodeUserData.CONTAINERD_FILE))
                .contains("cat > /etc/systemd/system/kumo-node-agent.service <<'KUMO_FILE'\n"
                        + NodeUserData.dist(NodeUserData.SERVICE_FILE))
                .containsPattern("aws s3 cp --only-show-errors 's3://cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>/[0-9a-f]{64}\\.jar' /opt/kumo/node-agent.jar")
                .contains("--name '/kumo/prod/api-endpoint'")
                .contains("--name '/kumo/prod/bootstrap-token' --with-decryption")
                .contains("--no-source-dest-check")
                .contains("clusterCidr=100.64.0.0/10")
                .endsWith("systemctl enable --now kumo-node-agent\necho \"kumo: node $name ($address, pods $pod_cidr) started its agent\"");
        assertThat(script).doesNotContainPattern("[0-9a-f]{6}\\.[0-9a-f]{16}"); // no bootstrap token in the user data
        assertThat(NodeUserData.dist(NodeUserData.SERVICE_FILE)).contains("ExecStart=/usr/bin/java")
                .contains("-jar /opt/kumo/node-agent.jar /etc/kumo/node-agent.conf");
        assertThat(NodeUserData.dist(NodeUserData.CONTAINERD_FILE)).contains("bin_dir = \"/opt/cni/bin\"")
                .contains("conf_dir = \"/etc/cni/net.d\"");
    }

    @Test
    void theSettingsTheUserDataWritesAreTheOnesTheAgentReads() throws Exception {
        String script = userData(template(false, NodeArchitecture.ARM64));
        String heredoc = script.substring(script.indexOf("cat > /etc/kumo/node-agent.conf <<KUMO_EOF\n"));
        heredoc = heredoc.substring(heredoc.indexOf('\n') + 1);
        heredoc = heredoc.substring(0, heredoc.indexOf("KUMO_EOF\n"));
        String filled = heredoc.replace("$server", "https://a1.execute-api.eu-west-1.amazonaws.com")
                .replace("$name", "ip-10-0-1-5.eu-west-1.compute.internal").replace("$address", "10.0.1.5")
                .replace("$pod_cidr", "100.65.5.0/24");
        assertThat(filled).doesNotContain("$");
        Path file = Files.createTempFile("node-agent", ".conf");
        Files.writeString(file, filled);
        dev.kumo.node.main.AgentSettings settings = dev.kumo.node.main.AgentSettings.read(file);
        assertThat(settings.server()).hasToString("https://a1.execute-api.eu-west-1.amazonaws.com");
        assertThat(settings.caFile()).isNull(); // API Gateway's certificate: the JVM's roots
        assertThat(settings.bootstrapTokenFile()).isEqualTo(Path.of("/etc/kumo/bootstrap-token"));
        assertThat(settings.nodeName()).isEqualTo("ip-10-0-1-5.eu-west-1.compute.internal");
        assertThat(settings.address()).isEqualTo("10.0.1.5");
        assertThat(settings.podCidr()).isEqualTo("100.65.5.0/24");
        assertThat(settings.clusterCidr()).isEqualTo(NodeNetwork.CLUSTER_CIDR);
        assertThat(settings.criSocket()).isEqualTo(Path.of("/run/containerd/containerd.sock"));
        assertThat(settings.cniConfDir()).isEqualTo(Path.of("/etc/cni/net.d"));
        assertThat(settings.registration().taints()).as("lifted by the cloud node controller with the pool's own")
                .containsExactly(new dev.kumo.node.NodeConfig.Taint(dev.kumo.cloud.NodeTaint.UNINITIALIZED.key(),
                        dev.kumo.cloud.NodeTaint.UNINITIALIZED.value(), dev.kumo.cloud.NodeTaint.UNINITIALIZED.effect()));
        assertThat(NodeUserData.dist(NodeUserData.CONTAINERD_FILE)).contains("conf_dir = \"" + settings.cniConfDir() + "\"");
    }

    @Test
    void podCidrsFollowFromTheNodeAddressWithoutOverlap() throws Exception {
        // The user data's arithmetic, run by bash on addresses across the node subnets' /18.
        String script = "for address in 10.0.0.4 10.0.15.255 10.0.16.5 10.0.63.254; do "
                + "IFS=. read -r _ _ o3 o4 <<<\"$address\"; index=$(( ((o3 & 63) << 8) | o4 )); "
                + "echo \"100.$(( 64 + (index >> 8) )).$(( index & 255 )).0/24\"; done";
        Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        List<String> cidrs = new String(bash.getInputStream().readAllBytes()).lines().toList();
        assertThat(bash.waitFor()).isZero();
        assertThat(cidrs).containsExactly("100.64.4.0/24", "100.79.255.0/24", "100.80.5.0/24", "100.127.254.0/24");
    }

    @Test
    void outputsAndTheCloudProviderEnvironmentNameTheSameResources() {
        App app = app();
        NodesStack stack = stack(app, false, NodeArchitecture.ARM64);
        Template template = Template.fromStack(stack);
        Map<String, String> environment = stack.cloudProviderEnvironment();
        assertThat(environment).containsOnlyKeys(NodesStack.ENV_CLUSTER, NodesStack.ENV_LAUNCH_TEMPLATE_ID,
                NodesStack.ENV_NODE_SUBNETS, NodesStack.ENV_LB_SUBNETS, NodesStack.ENV_ROUTE_TABLE_ID);
        assertThat(environment.get(NodesStack.ENV_CLUSTER)).isEqualTo("prod");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(
                stack.resolve(environment.get(NodesStack.ENV_NODE_SUBNETS))).toString())
                .as("zone=subnet pairs, as the aws provider's AwsCloudConfig reads them")
                .contains("{\"Fn::Join\":[\"=\",[{\"Fn::GetAtt\":[").contains("\"AvailabilityZone\"]}");
        assertThat(template.findOutputs("*").keySet()).contains(NodesStack.OUTPUT_VPC, NodesStack.OUTPUT_LAUNCH_TEMPLATE,
                NodesStack.OUTPUT_NODE_SUBNETS, NodesStack.OUTPUT_LB_SUBNETS, NodesStack.OUTPUT_ROUTE_TABLE,
                NodesStack.OUTPUT_NODE_SECURITY_GROUP, NodesStack.OUTPUT_LB_SECURITY_GROUP,
                NodesStack.OUTPUT_BOOTSTRAP_TOKEN_PARAMETER);
        assertThat(output(template, NodesStack.OUTPUT_BOOTSTRAP_TOKEN_PARAMETER)).isEqualTo("/kumo/prod/bootstrap-token");
        assertThat(output(template, NodesStack.OUTPUT_LAUNCH_TEMPLATE).toString())
                .contains(only(template, "AWS::EC2::LaunchTemplate").getKey());
    }

    @Test
    void theCloudControllerMayLaunchOnlyFromTheTemplateAndTouchOnlyTheClustersResources() {
        App app = app();
        NodesStack stack = stack(app, false, NodeArchitecture.ARM64);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, String> byAction = new java.util.TreeMap<>();
        for (var statement : stack.cloudControllerStatements().values().stream().flatMap(List::stream).toList()) {
            String resolved = json.valueToTree(stack.resolve(statement.toStatementJson())).toString();
            statement.getActions().forEach(action -> byAction.merge(action, resolved, (a, b) -> a + b));
        }
        assertThat(byAction.get("ec2:RunInstances")).contains("launch-template/").contains("subnet/")
                .contains("\"aws:RequestTag/kumo:cluster\":\"prod\"");
        assertThat(byAction.get("iam:PassRole")).contains("NodeRole").doesNotContain("\"*\"");
        assertThat(byAction.get("ec2:TerminateInstances")).contains("\"ec2:ResourceTag/kumo:cluster\":\"prod\"");
        assertThat(byAction.get("ec2:CreateRoute")).contains("route-table/");
        assertThat(byAction.get("elasticloadbalancing:DeleteLoadBalancer"))
                .contains("\"aws:ResourceTag/kumo:cluster\":\"prod\"");
        assertThat(byAction.get("elasticloadbalancing:CreateLoadBalancer"))
                .contains("\"aws:RequestTag/kumo:cluster\":\"prod\"");
        assertThat(byAction).as("only what docs/cloud-aws.md lists").doesNotContainKeys("ec2:*", "*");
    }

    private static void counts(Template template, Map<String, Integer> expected) {
        expected.forEach(template::resourceCountIs);
    }

    private static boolean covers(Map<String, Object> rule, int port) {
        if ("-1".equals(rule.get("IpProtocol"))) {
            return true;
        }
        return rule.get("FromPort") instanceof Integer from && rule.get("ToPort") instanceof Integer to
                && from <= port && port <= to;
    }

    private static String securityGroup(Template template, String description) {
        return only(template, "AWS::EC2::SecurityGroup", description);
    }

    private static String only(Template template, String type, String description) {
        Map<String, Map<String, Object>> found = template.findResources(type,
                Map.of("Properties", Map.of("GroupDescription", description)));
        assertThat(found).as(description).hasSize(1);
        return found.keySet().iterator().next();
    }

    private static String natId(Template template) {
        return only(template, "AWS::EC2::NatGateway").getKey();
    }

    private static Object output(Template template, String name) {
        return ((Map<?, ?>) template.findOutputs(name).get(name)).get("Value");
    }

    /** The user data as deployed: the literal parts of its Fn::Join, references as {@code <Logical::Id>}. */
    private static String userData(Template template) {
        Object base64 = ((Map<?, ?>) launchTemplateData(template).get("UserData")).get("Fn::Base64");
        return dev.kumo.infra.Templates.join(base64, value -> {
            if (value instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String sub) {
                return sub.replaceAll("\\$\\{([^}]+)}", "<$1>");
            }
            return "<" + (value instanceof Map<?, ?> m && m.get("Ref") != null ? m.get("Ref")
                    : JSON.valueToTree(value).toString()) + ">";
        });
    }

    private static Map<String, Object> launchTemplateData(Template template) {
        return cast(properties(only(template, "AWS::EC2::LaunchTemplate").getValue()).get("LaunchTemplateData"));
    }

    private static Map.Entry<String, Map<String, Object>> only(Template template, String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertThat(found).as(type).hasSize(1);
        return found.entrySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private static Template template(boolean privateNodes, NodeArchitecture architecture) {
        return Template.fromStack(stack(app(), privateNodes, architecture));
    }

    private static NodesStack stack(App app, boolean privateNodes, NodeArchitecture architecture) {
        return new NodesStack(app, "nodes", NodesStackProps.builder()
                .cluster("prod")
                .nodeAgentJar(agentJar())
                .architecture(architecture)
                .privateNodes(privateNodes)
                .build());
    }

    private static Path agentJar() {
        try {
            Path dir = Files.createTempDirectory("kumo-nodes");
            return Files.write(dir.resolve("node-agent-stand-in.jar"), new byte[] {'P', 'K', 3, 4});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
