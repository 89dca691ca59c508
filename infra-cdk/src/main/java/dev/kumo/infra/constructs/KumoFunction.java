package dev.kumo.infra.constructs;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One of kumo's Lambda functions: Java 21 on arm64 (Graviton: about 20 % cheaper per GB-second than x86), its own
 * log group with a retention, and a role that may write to that log group and, with a store, read and write the
 * store's items; nothing else (no managed policy). Callers grant more on {@link #function()}.
 *
 * <p>With SnapStart, Lambda runs the handler's constructor once when a version is published and resumes new
 * execution environments from a snapshot of it, which cuts a Java cold start to a fraction. A snapshot belongs to a
 * published version, so such a function is invoked through the alias {@value #ALIAS} on its current version:
 * wire triggers to {@link #entryPoint()}, never to {@link #function()}. SnapStart supports Java 11 and later on
 * arm64 and costs nothing extra for Java; it rules out provisioned concurrency, EFS and ephemeral storage over
 * 512 MB, none of which kumo uses.
 *
 * <p>With a {@link VpcPlacement} the function's interfaces go into those subnets with that security group, and its
 * role gets what Lambda needs to manage them (the statements of {@code AWSLambdaVPCAccessExecutionRole}, scoped to
 * those subnets and that group where EC2 allows a resource).
 */
public final class KumoFunction extends Construct {
    public static final String ALIAS = "live";

    private final Function function;
    private final LogGroup logGroup;
    private final IFunction entryPoint;

    public KumoFunction(Construct scope, String id, KumoFunctionProps props) {
        super(scope, id);
        this.logGroup = LogGroup.Builder.create(this, "Logs").retention(props.logRetention()).build();
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        logGroup.grantWrite(role);
        if (props.vpc() != null) {
            networkInterfaceStatements(props.vpc()).forEach(role::addToPolicy);
        }

        Map<String, String> environment = new TreeMap<>(props.environment());
        if (props.store() != null) {
            environment.putAll(props.store().environment());
        }
        Function.Builder builder = Function.Builder.create(this, "Function");
        if (props.vpc() != null) {
            builder.vpc(props.vpc().vpc())
                    .vpcSubnets(SubnetSelection.builder().subnets(props.vpc().subnets()).build())
                    .securityGroups(List.of(props.vpc().securityGroup()));
        }
        this.function = builder
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(props.handler())
                .code(props.code())
                .description(props.description())
                .memorySize(props.memoryMb())
                .timeout(props.timeout())
                .environment(environment)
                .role(role)
                .logGroup(logGroup)
                .reservedConcurrentExecutions(props.reservedConcurrency())
                .snapStart(props.snapStart() ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
                .build();
        if (props.store() != null) {
            props.store().grantReadWrite(function);
        }
        if (props.snapStart()) {
            this.entryPoint = Alias.Builder.create(this, "Alias")
                    .aliasName(ALIAS).version(function.getCurrentVersion()).build();
            Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "the alias publishes the current version");
        } else {
            this.entryPoint = function;
        }
    }

    /**
     * Lambda creates and deletes the function's Hyperplane interfaces with the function's role, when the function
     * is created or its VPC settings change. The describe calls take no resource (EC2 has no resource-level
     * permission for them); creating an interface names the interface, its subnet and its security group, so it is
     * allowed in these subnets with this group only; deleting and (un)assigning addresses name only the interface,
     * whose id nobody knows before Lambda makes it.
     */
    private List<PolicyStatement> networkInterfaceStatements(VpcPlacement placement) {
        List<String> create = new ArrayList<>(List.of(ec2Arn("network-interface", "*"),
                ec2Arn("security-group", placement.securityGroup().getSecurityGroupId())));
        for (ISubnet subnet : placement.subnets()) {
            create.add(ec2Arn("subnet", subnet.getSubnetId()));
        }
        return List.of(
                PolicyStatement.Builder.create()
                        .actions(List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"))
                        .resources(List.of("*")).build(),
                PolicyStatement.Builder.create()
                        .actions(List.of("ec2:CreateNetworkInterface")).resources(create).build(),
                PolicyStatement.Builder.create()
                        .actions(List.of("ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                                "ec2:UnassignPrivateIpAddresses"))
                        .resources(List.of(ec2Arn("network-interface", "*"))).build());
    }

    private String ec2Arn(String type, String id) {
        return Stack.of(this).formatArn(ArnComponents.builder().service("ec2").resource(type).resourceName(id).build());
    }

    /** The function itself: for grants, environment and settings. */
    public Function function() {
        return function;
    }

    /** What triggers invoke: the {@value #ALIAS} alias with SnapStart, else the function. */
    public IFunction entryPoint() {
        return entryPoint;
    }

    public LogGroup logGroup() {
        return logGroup;
    }
}
