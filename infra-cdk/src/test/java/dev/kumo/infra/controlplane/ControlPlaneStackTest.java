package dev.kumo.infra.controlplane;

import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apiserver.lambda.ApiGatewayHandler;
import dev.kumo.apiserver.lambda.CompactionHandler;
import dev.kumo.apiserver.audit.AuditSinks;
import dev.kumo.apiserver.lambda.ServerFactory;
import dev.kumo.apiserver.auth.authn.aws.AwsIamAuthenticator;
import dev.kumo.apiserver.auth.authn.aws.IamIdentityMapper;
import dev.kumo.controllers.lambda.ControlLoopHandler;
import dev.kumo.controllers.lambda.FanOutHandler;
import dev.kumo.controllers.lambda.LoopCatalog;
import dev.kumo.controllers.lambda.ResyncTickHandler;
import dev.kumo.controllers.lambda.TimerHandler;
import dev.kumo.controllers.scheduler.loop.SchedulerLoop;
import dev.kumo.infra.state.ClusterKeys;
import dev.kumo.infra.state.StateStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.kumo.infra.Templates.app;
import static dev.kumo.infra.Templates.arn;
import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.properties;
import static dev.kumo.infra.Templates.ref;
import static dev.kumo.infra.Templates.resolveImport;
import static dev.kumo.infra.controlplane.PlaneTemplates.functionId;
import static dev.kumo.infra.controlplane.PlaneTemplates.statements;
import static dev.kumo.infra.controlplane.PlaneTemplates.storeKey;
import static dev.kumo.infra.controlplane.PlaneTemplates.table;
import static dev.kumo.infra.Templates.standInJar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

class ControlPlaneStackTest {
    private static final String API_HANDLER = ApiGatewayHandler.class.getName() + "::handleRequest";
    private static final String COMPACTION_HANDLER = CompactionHandler.class.getName() + "::handleRequest";

    private static final Template state = PlaneTemplates.STATE;
    private static final Template plane = PlaneTemplates.PLANE;

    @Test
    void apiServerRunsTheApiGatewayHandlerOnJava21WithSnapStart() {
        Map<String, Object> function = function(API_HANDLER);
        assertThat(function).containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("MemorySize", 1024)
                .containsEntry("Timeout", 30)
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
    }

    @Test
    void functionsFindTheTablesUnderTheNamesTheStoreReads() {
        String objects = table("k");
        String log = table("rv");
        for (String handler : List.of(API_HANDLER, COMPACTION_HANDLER)) {
            Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) function(handler).get("Environment")).get("Variables");
            assertThat(resolveImport(state, variables.get(StoreTables.ENV_OBJECTS_TABLE))).as(handler).isEqualTo(ref(objects));
            assertThat(resolveImport(state, variables.get(StoreTables.ENV_LOG_TABLE))).as(handler).isEqualTo(ref(log));
        }
    }

    /**
     * The API server may read and write items of the two tables, use its two keys for what it does with them, and
     * write its own logs; nothing else.
     */
    @Test
    void apiServerMayOnlyReadAndWriteItemsOfTheTwoTablesAndUseItsKeys() {
        List<Map<String, Object>> statements = statements(roleOf(API_HANDLER));
        assertThat(statements).hasSize(5);

        Map<String, Object> secrets = statementWith(statements, List.of("kms:GenerateDataKey", "kms:Decrypt"));
        assertThat(resolveImport(state, secrets.get("Resource"))).isEqualTo(arn(key(Map.of("Description", Match.stringLikeRegexp("Secrets")))));
        Map<String, Object> signing = statementWith(statements, List.of("kms:Sign", "kms:GetPublicKey"));
        assertThat(resolveImport(state, signing.get("Resource"))).isEqualTo(arn(key(Map.of(
                "KeySpec", "RSA_2048", "KeyUsage", "SIGN_VERIFY"))));
        statements = statements.stream().filter(s -> s != secrets && s != signing).toList();

        Map<String, Object> items = statement(statements, "dynamodb:");
        assertThat(items.get("Action")).asInstanceOf(LIST).containsExactlyInAnyOrder(
                "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
                "dynamodb:TransactWriteItems", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem");
        assertThat(((List<?>) items.get("Resource")).stream().map(r -> resolveImport(state, r)).toList())
                .containsExactlyInAnyOrder(arn(table("k")), arn(table("rv")));
        assertThat(items).doesNotContainKey("Condition");

        Map<String, Object> key = statement(statements, "kms:");
        assertThat(resolveImport(state, key.get("Resource"))).isEqualTo(arn(storeKey()));
        assertThat(key.get("Condition")).asInstanceOf(MAP).extractingByKey("StringEquals").asInstanceOf(MAP)
                .containsOnlyKeys("kms:ViaService");

        Map<String, Object> logs = statement(statements, "logs:");
        assertThat(logs.get("Action")).isEqualTo(List.of("logs:CreateLogStream", "logs:PutLogEvents"));
        assertThat(logs.get("Resource")).isEqualTo(arn(logGroupOf(API_HANDLER)));

        plane.allResourcesProperties("AWS::IAM::Role", Map.of("ManagedPolicyArns", Match.absent()));
    }

    @Test
    void httpApiSendsEveryRouteToTheApiServerAliasInPayloadFormat2() {
        String alias = only(plane, "AWS::Lambda::Alias", Map.of("Name", "live")).getKey();
        String version = only(plane, "AWS::Lambda::Version", Map.of()).getKey();
        plane.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "FunctionName", ref(functionId(API_HANDLER)),
                "FunctionVersion", Map.of("Fn::GetAtt", List.of(version, "Version"))));

        plane.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP"));
        String integration = only(plane, "AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY",
                "IntegrationUri", ref(alias),
                "PayloadFormatVersion", "2.0",
                "TimeoutInMillis", 30_000)).getKey();
        plane.resourceCountIs("AWS::ApiGatewayV2::Route", 1);
        plane.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                "RouteKey", "$default",
                "Target", Map.of("Fn::Join", List.of("", List.of("integrations/", ref(integration))))));
        plane.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "FunctionName", ref(alias), "Principal", "apigateway.amazonaws.com"));
        plane.hasOutput("ApiEndpoint", Map.of());
    }

    @Test
    void compactionRunsEveryMinuteOneAtATime() {
        Map<String, Object> function = function(COMPACTION_HANDLER);
        assertThat(function).containsEntry("Runtime", "java21")
                .containsEntry("ReservedConcurrentExecutions", 1)
                .doesNotContainKey("SnapStart");
        assertThat(function.get("Environment")).asInstanceOf(MAP).extractingByKey("Variables").asInstanceOf(MAP)
                .containsEntry(CompactionHandler.ENV_RETENTION_SECONDS, "300");

        String id = functionId(COMPACTION_HANDLER);
        plane.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "Targets", List.of(Map.of("Arn", arn(id), "Id", Match.anyValue()))));
        plane.hasResourceProperties("AWS::Lambda::Permission", Map.of(
                "FunctionName", arn(id), "Principal", "events.amazonaws.com"));
        // A tick that waits (the previous run still going) is dropped, not retried for hours.
        plane.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", ref(id), "MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 60));
    }

    @Test
    void everyFunctionLogsToItsOwnGroupKeptAMonth() {
        Map<String, Map<String, Object>> functions = plane.findResources("AWS::Lambda::Function");
        Map<String, Map<String, Object>> groups = plane.findResources("AWS::Logs::LogGroup");
        List<Object> used = functions.values().stream()
                .map(function -> (Object) ((Map<?, ?>) properties(function).get("LoggingConfig")).get("LogGroup"))
                .toList();
        assertThat(used).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(groups.keySet().stream().map(id -> (Object) ref(id)).toList());
        groups.values().forEach(group -> assertThat(properties(group)).containsEntry("RetentionInDays", 30));
        // the API server, compaction, a function per loop, the fan-out, the timer and the tick
        assertThat(functions).hasSize(2 + LoopCatalog.entries().size() + 3);
    }

    @Test
    void memoryAndRetentionsComeFromTheProps(@TempDir Path jarDir) {
        App app = app();
        StateStack stateStack = new StateStack(app, "state", StackProps.builder().build());
        Template custom = Template.fromStack(new ControlPlaneStack(app, "plane", ControlPlaneStackProps.builder()
                .store(stateStack.store())
                .keys(stateStack.keys())
                .apiserverJar(standInJar(jarDir))
                .controllersJar(standInJar(jarDir))
                .apiMemoryMb(2048)
                .compactionMemoryMb(256)
                .compactionRetention(Duration.minutes(10))
                .loopMemoryMb(640)
                .schedulerMemoryMb(1536)
                .loopSupportMemoryMb(384)
                .loopMaxConcurrency(20)
                .logRetention(RetentionDays.ONE_WEEK)
                .build()));
        custom.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", API_HANDLER, "MemorySize", 2048));
        custom.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", COMPACTION_HANDLER, "MemorySize", 256,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(CompactionHandler.ENV_RETENTION_SECONDS, "600")))));
        custom.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 7));
        // Each of the loops' settings reaches its own functions (the defaults cannot tell loop and support apart).
        String loopHandler = ControlLoopHandler.class.getName() + "::handleRequest";
        Map<String, Map<String, Object>> loops = custom.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", loopHandler)));
        assertThat(loops).as("no cloud controller given: its loops are left out").hasSize((int) LoopCatalog.entries()
                .stream().filter(entry -> !entry.user().equals(LoopCatalog.CLOUD_CONTROLLER_USER)).count());
        loops.forEach((id, function) -> {
            Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) properties(function).get("Environment")).get("Variables");
            boolean scheduler = SchedulerLoop.NAME.equals(variables.get(ControlLoopHandler.ENV_LOOP));
            assertThat(properties(function).get("MemorySize")).as(id).isEqualTo(scheduler ? 1536 : 640);
            custom.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("FunctionName", ref(id),
                    "ScalingConfig", Map.of("MaximumConcurrency", 20)));
        });
        for (Class<?> support : List.of(FanOutHandler.class, TimerHandler.class, ResyncTickHandler.class)) {
            custom.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", support.getName() + "::handleRequest", "MemorySize", 384));
        }
    }

    @Test
    void apiServerKnowsItsKeysItsClusterNameItsAdminsAndAuditsToItsLog() {
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) function(API_HANDLER).get("Environment")).get("Variables");
        assertThat(resolveImport(state, variables.get(ClusterKeys.ENV_SECRETS_KEY))).isEqualTo(arn(key(Map.of("Description", Match.stringLikeRegexp("Secrets")))));
        assertThat(resolveImport(state, variables.get(ClusterKeys.ENV_TOKEN_SIGNING_KEY)))
                .isEqualTo(arn(key(Map.of("KeySpec", "RSA_2048"))));
        assertThat(variables.get(AwsIamAuthenticator.ENV_CLUSTER_NAME)).isEqualTo("prod");
        assertThat(variables.get(AuditSinks.ENV_PATH)).isEqualTo("-");
        assertThat(variables.get(ServerFactory.ENV_ROOT_CA_FROM_JVM)).isEqualTo("CN=Amazon Root CA");
        // Read back with the API server's own parser: what the template says is what the API will map.
        assertThat(iamMappings(plane)).startsWith(
                "arn:aws:iam::123456789012:role/admin -> kumo-admin:{{SessionName}} [system:masters]",
                "arn:aws:iam::123456789012:user/alice -> kumo-admin:alice [system:masters]");
    }

    @Test
    void theStateKeepsBothKeysAndRotatesTheSymmetricOne() {
        state.hasResource("AWS::KMS::Key", Map.of("DeletionPolicy", "Retain",
                "Properties", Map.of("EnableKeyRotation", true, "Description", Match.stringLikeRegexp("Secrets"))));
        state.hasResource("AWS::KMS::Key", Map.of("DeletionPolicy", "Retain",
                "Properties", Match.objectLike(Map.of("KeySpec", "RSA_2048", "KeyUsage", "SIGN_VERIFY"))));
    }

    /**
     * The API function's IAM mappings as the API's own parser reads them ({@code arn -> user [groups]}), with the
     * roles the template creates as {@code arn:aws:iam::123456789012:role/<logical id>}.
     */
    static List<String> iamMappings(Template plane) {
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) properties(only(plane, "AWS::Lambda::Function",
                Map.of("Handler", API_HANDLER)).getValue()).get("Environment")).get("Variables");
        String json = dev.kumo.infra.Templates.join(variables.get(AwsIamAuthenticator.ENV_MAPPINGS), part -> {
            List<?> getAtt = (List<?>) ((Map<?, ?>) part).get("Fn::GetAtt");
            assertThat(getAtt.get(1)).isEqualTo("Arn");
            return "arn:aws:iam::123456789012:role/" + getAtt.get(0);
        });
        return IamIdentityMapper.parseMappings(json).stream()
                .map(m -> m.arn() + " -> " + m.username() + " " + m.groups()).toList();
    }

    /** The KMS key (other than the store's) whose properties match. */
    private static String key(Map<String, Object> properties) {
        var keys = state.findResources("AWS::KMS::Key", Map.of("Properties", Match.objectLike(properties)));
        List<String> ids = keys.keySet().stream().filter(id -> !id.equals(storeKey())).toList();
        assertThat(ids).as("keys like %s", properties).hasSize(1);
        return ids.getFirst();
    }

    private static Map<String, Object> statementWith(List<Map<String, Object>> statements, List<String> actions) {
        List<Map<String, Object>> found = statements.stream()
                .filter(s -> s.get("Action") instanceof List<?> list && list.containsAll(actions)
                        && list.size() == actions.size()).toList();
        assertThat(found).as("statements allowing exactly %s", actions).hasSize(1);
        return found.getFirst();
    }

    private static Map<String, Object> function(String handler) {
        return PlaneTemplates.function(functionId(handler));
    }

    private static String roleOf(String handler) {
        return PlaneTemplates.roleOf(functionId(handler));
    }

    private static String logGroupOf(String handler) {
        return PlaneTemplates.logGroupOf(functionId(handler));
    }

    private static Map<String, Object> statement(List<Map<String, Object>> statements, String actionPrefix) {
        List<Map<String, Object>> found = statements.stream()
                .filter(s -> String.valueOf(s.get("Action")).contains(actionPrefix)).toList();
        assertThat(found).as("statements with %s actions", actionPrefix).hasSize(1);
        assertThat(found.getFirst()).containsEntry("Effect", "Allow");
        return found.getFirst();
    }
}
