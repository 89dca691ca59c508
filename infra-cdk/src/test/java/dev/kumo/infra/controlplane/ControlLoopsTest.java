package dev.kumo.infra.controlplane;

import dev.kumo.apimachinery.client.RootCaBundle;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.apiserver.lambda.ApiGatewayHandler;
import dev.kumo.controllers.lambda.ApiConnection;
import dev.kumo.controllers.lambda.ControlLoopHandler;
import dev.kumo.controllers.lambda.FanOutHandler;
import dev.kumo.cloud.CloudPart;
import dev.kumo.cloud.CloudSettings;
import dev.kumo.controllers.lambda.LoopCatalog;
import dev.kumo.controllers.lambda.ResyncTickHandler;
import dev.kumo.controllers.lambda.SqsKeyQueues;
import dev.kumo.controllers.lambda.TimerHandler;
import dev.kumo.controllers.scheduler.loop.SchedulerLoop;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.kumo.infra.Templates;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.PolicyStatement;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.kumo.infra.Templates.arn;
import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.properties;
import static dev.kumo.infra.Templates.ref;
import static dev.kumo.infra.Templates.resolveImport;
import static dev.kumo.infra.controlplane.PlaneTemplates.function;
import static dev.kumo.infra.controlplane.PlaneTemplates.functionId;
import static dev.kumo.infra.controlplane.PlaneTemplates.logGroupOf;
import static dev.kumo.infra.controlplane.PlaneTemplates.roleOf;
import static dev.kumo.infra.controlplane.PlaneTemplates.statements;
import static dev.kumo.infra.controlplane.PlaneTemplates.storeKey;
import static dev.kumo.infra.controlplane.PlaneTemplates.table;
import static dev.kumo.infra.controlplane.PlaneTemplates.variables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The control loops in the control plane's template, held to the handlers, catalog and settings they run with. */
class ControlLoopsTest {
    private static final String LOOP_HANDLER = handler(ControlLoopHandler.class);
    private static final String FAN_OUT_HANDLER = handler(FanOutHandler.class);
    private static final String TIMER_HANDLER = handler(TimerHandler.class);
    private static final String TICK_HANDLER = handler(ResyncTickHandler.class);
    private static final List<String> SEND = List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");
    private static final List<String> CONSUME = List.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility",
            "sqs:GetQueueUrl", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
    private static final List<String> LOGS = List.of("logs:CreateLogStream", "logs:PutLogEvents");

    private static final Template state = PlaneTemplates.STATE;
    private static final Template plane = PlaneTemplates.PLANE;

    @Test
    void everyCatalogLoopHasAFifoQueueWithAFifoDeadLetterQueueAndAReconciler() {
        assertThat(plane.findResources("AWS::Lambda::Function", Map.of("Properties",
                Map.of("Handler", LOOP_HANDLER)))).hasSize(LoopCatalog.entries().size());
        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            String function = loopFunction(entry.name());
            String queue = queueOf(function);
            Map<String, Object> queueProperties = properties(plane.findResources("AWS::SQS::Queue").get(queue));
            assertThat(queueProperties).as(entry.name()).containsEntry("FifoQueue", true);
            Map<?, ?> redrive = (Map<?, ?>) queueProperties.get("RedrivePolicy");
            assertThat(redrive.get("maxReceiveCount")).isEqualTo(ControlLoops.MAX_RECEIVES);
            String deadLetters = (String) ((List<?>) ((Map<?, ?>) redrive.get("deadLetterTargetArn")).get("Fn::GetAtt")).get(0);
            assertThat(properties(plane.findResources("AWS::SQS::Queue").get(deadLetters)))
                    .containsEntry("FifoQueue", true).doesNotContainKey("RedrivePolicy");
            assertThat(variables(function).get(SqsKeyQueues.ENV_LOOP_QUEUES))
                    .isEqualTo(Map.of("Fn::Join", List.of("", List.of(entry.name() + "=", ref(queue)))));
        }
    }

    /** Every variable a handler needs in AWS is in each of its functions' environment (none of the local ones). */
    @Test
    void everyFunctionHasTheVariablesItsHandlerReads() {
        Map<String, List<String>> needs = Map.of(
                LOOP_HANDLER, List.of(ControlLoopHandler.ENV_LOOP, ApiConnection.ENV_SERVER,
                        ApiConnection.ENV_CLUSTER_NAME, SqsKeyQueues.ENV_LOOP_QUEUES, SqsKeyQueues.ENV_TIMER_QUEUE,
                        RootCaBundle.ENV_FROM_JVM),
                FAN_OUT_HANDLER, List.of(StoreTables.ENV_OBJECTS_TABLE, StoreTables.ENV_LOG_TABLE,
                        SqsKeyQueues.ENV_LOOP_QUEUES, StorageEncryption.ENV_RESOURCES),
                TIMER_HANDLER, List.of(SqsKeyQueues.ENV_LOOP_QUEUES, SqsKeyQueues.ENV_TIMER_QUEUE),
                TICK_HANDLER, List.of(SqsKeyQueues.ENV_LOOP_QUEUES, SqsKeyQueues.ENV_TIMER_QUEUE));
        List<String> localOnly = List.of(ApiConnection.ENV_TOKEN_FILE, ApiConnection.ENV_CA_FILE,
                RootCaBundle.ENV_FILE, "KUMO_SQS_ENDPOINT", "KUMO_DYNAMODB_ENDPOINT", StorageEncryption.ENV_KMS_KEY_ID);
        needs.forEach((handler, variables) -> {
            Map<String, Map<String, Object>> functions = plane.findResources("AWS::Lambda::Function",
                    Map.of("Properties", Map.of("Handler", handler)));
            assertThat(functions).as(handler).isNotEmpty();
            for (String function : functions.keySet()) {
                assertThat(variables(function)).as(handler).containsKeys(variables.toArray(String[]::new))
                        .doesNotContainKeys(localOnly.toArray(String[]::new));
            }
        });
    }

    /**
     * Each function's handler class, built as Lambda builds it (its constructor reads the environment and throws
     * for what is missing or malformed) from the template's environment, with CloudFormation's values filled in as
     * a deploy would (queue URLs, table names, the API's URL) and {@code AWS_REGION}, which Lambda adds. Nothing
     * is called: the constructors only build clients.
     */
    @Test
    void everyHandlerStartsFromItsFunctionsTemplateEnvironment() throws ReflectiveOperationException {
        List<String> started = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> function : plane.findResources("AWS::Lambda::Function").entrySet()) {
            String handler = (String) properties(function.getValue()).get("Handler");
            if (!handler.startsWith("dev.kumo.controllers.")) {
                continue;
            }
            Class<?> type = handlerClass(handler);
            // Lambda calls RequestHandler.handleRequest, the method the handler string names.
            assertThat(RequestHandler.class.isAssignableFrom(type)).as(handler).isTrue();
            assertThat(handler).endsWith("::handleRequest");
            assertThat(type.getConstructor(Map.class).newInstance(deployedEnvironment(function.getKey())))
                    .as(function.getKey()).isNotNull();
            started.add(type.getSimpleName());
        }
        assertThat(started).hasSize(LoopCatalog.entries().size() + 3)
                .contains("FanOutHandler", "TimerHandler", "ResyncTickHandler");
    }

    /**
     * Each cloud loop's grant is no wider than its wiring: without any one of its parts (its role then lacks that
     * part's statements) its handler does not start, CloudSettings naming the part. With the test above (it starts
     * with them), a loop's parts are exactly those its wiring builds, and no second list says so.
     */
    @Test
    void aCloudLoopDoesNotStartWithoutAnyOfItsParts() throws ReflectiveOperationException {
        int checked = 0;
        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            if (!entry.user().equals(LoopCatalog.CLOUD_CONTROLLER_USER)) {
                continue;
            }
            String function = loopFunction(entry.name());
            Map<String, String> env = deployedEnvironment(function);
            Set<CloudPart> granted = CloudPart.granted(env);
            assertThat(granted).as(entry.name()).isNotEmpty().isNotEqualTo(EnumSet.allOf(CloudPart.class));
            for (CloudPart part : granted) {
                Set<CloudPart> fewer = EnumSet.copyOf(granted);
                fewer.remove(part);
                Map<String, String> without = new TreeMap<>(env);
                without.put(CloudPart.ENV_PARTS, CloudPart.setting(fewer));
                var constructor = handlerClass(LOOP_HANDLER).getConstructor(Map.class);
                assertThatThrownBy(() -> constructor.newInstance(without)).as(entry.name() + " without " + part)
                        .isInstanceOf(InvocationTargetException.class)
                        .cause().hasMessageContaining("not granted the cloud part " + part.settingName());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    private static Class<?> handlerClass(String handler) throws ClassNotFoundException {
        return Class.forName(handler.substring(0, handler.indexOf("::")));
    }

    /** A function's environment as Lambda gives it once deployed ({@link #deployedValue}, and its region). */
    private static Map<String, String> deployedEnvironment(String function) {
        Map<String, String> env = new TreeMap<>();
        variables(function).forEach((name, value) -> env.put(name, Templates.join(value,
                ControlLoopsTest::deployedValue)));
        env.put("AWS_REGION", "eu-west-1");
        return env;
    }

    /** What a template value resolves to once deployed, near enough for the handlers' parsers. */
    private static String deployedValue(Object value) {
        Object resolved = resolveImport(state, value);
        Map<?, ?> expression = (Map<?, ?>) resolved;
        if (expression.get("Ref") instanceof String id) {
            boolean queue = plane.findResources("AWS::SQS::Queue").containsKey(id);
            return queue ? "https://sqs.eu-west-1.amazonaws.com/123456789012/" + id : id;
        }
        List<?> getAtt = (List<?>) expression.get("Fn::GetAtt");
        if (getAtt != null && getAtt.get(1).equals("ApiEndpoint")) {
            return "https://" + getAtt.get(0).toString().toLowerCase() + ".execute-api.eu-west-1.amazonaws.com";
        }
        throw new AssertionError("a variable's value the test cannot resolve: " + value);
    }

    @Test
    void loopsCallTheHttpApiWithIamTokensForTheClusterAndTrustAmazonsRoots() {
        String api = only(plane, "AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP")).getKey();
        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            Map<String, Object> variables = variables(loopFunction(entry.name()));
            // The endpoint kubeconfigs get: the HTTP API's default stage.
            assertThat(variables.get(ApiConnection.ENV_SERVER))
                    .isEqualTo(Map.of("Fn::GetAtt", List.of(api, "ApiEndpoint")))
                    .isEqualTo(((Map<?, ?>) plane.findOutputs("ApiEndpoint").get("ApiEndpoint")).get("Value"));
            assertThat(variables.get(ApiConnection.ENV_CLUSTER_NAME)).isEqualTo("prod");
            assertThat(variables.get(RootCaBundle.ENV_FROM_JVM)).isEqualTo("CN=Amazon Root CA");
            assertThat(variables.get(ControlLoopHandler.ENV_LOOP)).isEqualTo(entry.name());
            assertThat(variables.get(SqsKeyQueues.ENV_TIMER_QUEUE)).isEqualTo(ref(timerQueue()));
        }
    }

    /** The API maps each loop function's role to the loop's user: the admins, then one entry per loop. */
    @Test
    void theApiMapsEachLoopRoleToItsLoopsUser() {
        List<String> expected = new ArrayList<>();
        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            expected.add("arn:aws:iam::123456789012:role/" + roleOf(loopFunction(entry.name())).toLowerCase()
                    + " -> " + entry.user() + " []");
        }
        assertThat(ControlPlaneStackTest.iamMappings(plane)).containsExactlyElementsOf(
                concat(List.of("arn:aws:iam::123456789012:role/admin -> kumo-admin:{{SessionName}} [system:masters]",
                        "arn:aws:iam::123456789012:user/alice -> kumo-admin:alice [system:masters]"), expected));
        assertThat(LoopCatalog.entries()).extracting(LoopCatalog.Entry::user)
                .contains("system:kube-scheduler", "system:kube-controller-manager");
    }

    @Test
    void fanOutReadsTheLogStreamFromTheOldestRecordAndNeverBlocksAShard() {
        String function = functionId(FAN_OUT_HANDLER);
        Map<String, Object> mapping = properties(only(plane, "AWS::Lambda::EventSourceMapping",
                Map.of("FunctionName", ref(function))).getValue());
        assertThat(resolveImport(state, mapping.get("EventSourceArn"))).isEqualTo(logStream());
        assertThat(mapping).containsEntry("StartingPosition", "TRIM_HORIZON")
                .containsEntry("BatchSize", 100)
                .containsEntry("MaximumBatchingWindowInSeconds", 0)
                .containsEntry("ParallelizationFactor", 1)
                .containsEntry("BisectBatchOnFunctionError", true)
                .containsEntry("MaximumRetryAttempts", ControlLoops.STREAM_RETRIES)
                .containsEntry("MaximumRecordAgeInSeconds", 3600)
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"))
                .containsEntry("DestinationConfig", Map.of("OnFailure", Map.of("Destination", arn(fanOutFailures()))));
        // The one reader of the stream: every other mapping drains a queue.
        plane.findResources("AWS::Lambda::EventSourceMapping").forEach((id, resource) -> {
            if (!properties(resource).get("FunctionName").equals(ref(function))) {
                assertThat(properties(resource)).as(id).doesNotContainKey("StartingPosition");
            }
        });
        assertThat(PlaneTemplates.function(function))
                .doesNotContainKey("ReservedConcurrentExecutions");
        Map<String, Object> variables = variables(function);
        assertThat(variables.get(StorageEncryption.ENV_RESOURCES))
                .isEqualTo(variables(functionId(handler(ApiGatewayHandler.class))).get(StorageEncryption.ENV_RESOURCES))
                .isEqualTo("secrets");
        assertThat(queueList(variables)).containsOnlyKeys(catalogNames());
    }

    @Test
    void theTimerDrainsAStandardQueueIntoTheLoopsQueues() {
        String timer = timerQueue();
        Map<String, Object> queue = properties(plane.findResources("AWS::SQS::Queue").get(timer));
        assertThat(queue).doesNotContainKey("FifoQueue").containsKey("RedrivePolicy")
                .containsEntry("VisibilityTimeout", 180); // six times the timer function's 30 s
        String function = functionId(TIMER_HANDLER);
        plane.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                "FunctionName", ref(function), "EventSourceArn", arn(timer),
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        assertThat(queueList(variables(function))).containsOnlyKeys(catalogNames());
    }

    @Test
    void theTickAsksEveryLoopToResyncEveryMinuteOneAtATime() {
        String function = functionId(TICK_HANDLER);
        assertThat(PlaneTemplates.function(function))
                .containsEntry("ReservedConcurrentExecutions", 1).doesNotContainKey("SnapStart");
        plane.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "Targets", List.of(Map.of("Arn", arn(function), "Id", Match.anyValue()))));
        plane.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", ref(function), "MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 60));
        assertThat(queueList(variables(function))).containsOnlyKeys(catalogNames());
    }

    /** SQS-driven and ticked every minute: warm environments, no published versions, no SnapStart. */
    @Test
    void memoryFromTheMeasurementsAndNoSnapStart() {
        for (String handler : List.of(LOOP_HANDLER, FAN_OUT_HANDLER, TIMER_HANDLER, TICK_HANDLER)) {
            plane.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of("Handler", handler)))
                    .forEach((id, function) -> {
                        Map<String, Object> properties = properties(function);
                        assertThat(properties).as(id).containsEntry("Runtime", "java21")
                                .containsEntry("Architectures", List.of("arm64")).doesNotContainKey("SnapStart");
                        boolean scheduler = id.equals(loopFunction(SchedulerLoop.NAME));
                        assertThat(properties.get("MemorySize")).as(id).isEqualTo(scheduler ? 1024 : 512);
                    });
        }
    }

    /** Loops may only use their own queue and the timer, and never the store. */
    @Test
    void aLoopRoleMaySendToItsQueueAndTheTimerAndConsumeItsQueueOnly() {
        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            String function = loopFunction(entry.name());
            String queue = queueOf(function);
            Map<String, Set<Object>> grants = grants(roleOf(function));
            Map<String, Set<Object>> expected = new TreeMap<>();
            allow(expected, SEND, List.of(arn(queue), arn(timerQueue())));
            allow(expected, CONSUME, List.of(arn(queue)));
            allow(expected, LOGS, List.of(arn(logGroupOf(function))));
            if (entry.user().equals(LoopCatalog.CLOUD_CONTROLLER_USER)) { // and its parts' statements
                for (CloudPart part : CloudLoopParts.of(entry.name())) {
                    PolicyStatement statement = PlaneTemplates.CLOUD_STATEMENTS.get(part);
                    allow(expected, statement.getActions(), List.<Object>copyOf(statement.getResources()));
                }
            }
            assertThat(grants).as(entry.name()).isEqualTo(expected);
        }
    }

    @Test
    void theFanOutMayReadTheStreamAndTheChunksAndSendToTheLoopsOnly() {
        String function = functionId(FAN_OUT_HANDLER);
        Map<String, Set<Object>> grants = grants(roleOf(function));
        Map<String, Set<Object>> expected = new TreeMap<>();
        allow(expected, SEND, concat(loopQueues(), List.of(arn(fanOutFailures()))));
        allow(expected, List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                "dynamodb:ListStreams"), List.of(logStream()));
        allow(expected, List.of("dynamodb:Query"), List.of(arn(table("k"))));
        allow(expected, List.of("kms:Decrypt", "kms:DescribeKey"), List.of(arn(storeKey())));
        allow(expected, LOGS, List.of(arn(logGroupOf(function))));
        assertThat(grants).isEqualTo(expected);
        // The key only through DynamoDB.
        statements(roleOf(function)).stream().filter(s -> String.valueOf(s.get("Action")).contains("kms:"))
                .forEach(s -> assertThat(String.valueOf(
                        ((Map<?, ?>) ((Map<?, ?>) s.get("Condition")).get("StringEquals")).keySet()))
                        .isEqualTo("[kms:ViaService]"));
    }

    @Test
    void theTimerAndTheTickMaySendToTheLoopsQueues() {
        String timerFunction = functionId(TIMER_HANDLER);
        Map<String, Set<Object>> timer = new TreeMap<>();
        allow(timer, SEND, concat(loopQueues(), List.of(arn(timerQueue()))));
        allow(timer, CONSUME, List.of(arn(timerQueue())));
        allow(timer, LOGS, List.of(arn(logGroupOf(timerFunction))));
        assertThat(grants(roleOf(timerFunction))).isEqualTo(timer);

        String tickFunction = functionId(TICK_HANDLER);
        Map<String, Set<Object>> tick = new TreeMap<>();
        allow(tick, SEND, loopQueues());
        allow(tick, LOGS, List.of(arn(logGroupOf(tickFunction))));
        assertThat(grants(roleOf(tickFunction))).isEqualTo(tick);
    }

    /**
     * The cloud controller's loops run from its own jar with the aws provider's settings and the cloud parts
     * {@link CloudLoopParts} grants each; the fan-out runs from that jar too (it maps records to their keys); no other
     * loop gets either, nor an EC2 or ELBv2 permission.
     */
    @Test
    void cloudLoopsRunTheCloudJarWithTheProvidersSettingsAndPermissions() {
        List<LoopCatalog.Entry> cloud = LoopCatalog.entries().stream()
                .filter(entry -> entry.user().equals(LoopCatalog.CLOUD_CONTROLLER_USER)).toList();
        assertThat(cloud).extracting(LoopCatalog.Entry::name)
                .contains("provisioner", "cloud-node", "service", "route");
        Object cloudCode = function(loopFunction(cloud.getFirst().name())).get("Code");
        Object coreCode = function(loopFunction(SchedulerLoop.NAME)).get("Code");
        assertThat(cloudCode).isNotEqualTo(coreCode);
        assertThat(function(functionId(FAN_OUT_HANDLER)).get("Code")).isEqualTo(cloudCode);
        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            String function = loopFunction(entry.name());
            boolean isCloud = cloud.contains(entry);
            assertThat(function(function).get("Code")).as(entry.name()).isEqualTo(isCloud ? cloudCode : coreCode);
            Map<String, Object> variables = variables(function);
            List<String> actions = statements(roleOf(function)).stream()
                    .flatMap(statement -> statement.get("Action") instanceof List<?> list
                            ? list.stream().map(String::valueOf) : java.util.stream.Stream.of((String) statement.get("Action")))
                    .toList();
            if (isCloud) {
                assertThat(variables).as(entry.name()).containsEntry(CloudSettings.ENV_PROVIDER, CloudSettings.AWS)
                        .containsAllEntriesOf(PlaneTemplates.CLOUD_ENVIRONMENT)
                        .containsEntry(CloudPart.ENV_PARTS, CloudPart.setting(CloudLoopParts.of(entry.name())));
            } else {
                assertThat(variables).as(entry.name()).doesNotContainKey(CloudSettings.ENV_PROVIDER)
                        .doesNotContainKey(CloudPart.ENV_PARTS).doesNotContainKey("KUMO_LAUNCH_TEMPLATE_ID");
                assertThat(actions).as(entry.name()).noneMatch(action -> action.startsWith("ec2:")
                        || action.startsWith("elasticloadbalancing:"));
            }
        }
    }

    @Test
    void noStatementAllowsEveryResource() {
        plane.findResources("AWS::IAM::Policy").forEach((id, policy) -> {
            List<?> statements = (List<?>) ((Map<?, ?>) properties(policy).get("PolicyDocument")).get("Statement");
            for (Object statement : statements) {
                Object resource = ((Map<?, ?>) statement).get("Resource");
                List<Object> resources = new ArrayList<>(resource instanceof List<?> list ? list : List.of(resource));
                assertThat(resources).as(id).doesNotContain("*");
            }
        });
    }

    /** Every dead-letter queue (each loop's, the timer's, the fan-out's failures) has an alarm on its depth. */
    @Test
    void everyDeadLetterQueueHasAnAlarm() {
        Set<Object> deadLetterQueues = new TreeSet<>(Comparator.comparing(Object::toString));
        plane.findResources("AWS::SQS::Queue").forEach((id, queue) -> {
            if (properties(queue).get("RedrivePolicy") instanceof Map<?, ?> redrive) {
                deadLetterQueues.add(((List<?>) ((Map<?, ?>) redrive.get("deadLetterTargetArn")).get("Fn::GetAtt")).get(0));
            }
        });
        deadLetterQueues.add(fanOutFailures());
        assertThat(deadLetterQueues).hasSize(LoopCatalog.entries().size() + 2);
        Set<Object> alarmed = plane.findResources("AWS::CloudWatch::Alarm").values().stream()
                .map(alarm -> properties(alarm))
                .peek(alarm -> assertThat(alarm).containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                        .containsEntry("Threshold", 1))
                .map(alarm -> ((Map<?, ?>) ((List<?>) alarm.get("Dimensions")).getFirst()).get("Value"))
                .map(value -> ((List<?>) ((Map<?, ?>) value).get("Fn::GetAtt")).get(0))
                .collect(Collectors.toSet());
        assertThat(alarmed).containsExactlyInAnyOrderElementsOf(deadLetterQueues);
    }

    private static String handler(Class<?> type) {
        return type.getName() + "::handleRequest";
    }

    private static Set<String> catalogNames() {
        return LoopCatalog.entries().stream().map(LoopCatalog.Entry::name).collect(Collectors.toSet());
    }

    /** {@code loop -> Ref} of a {@code loop=url,...} list. */
    private static Map<String, Object> queueList(Map<String, Object> variables) {
        Map<String, Object> queues = new TreeMap<>();
        List<?> parts = (List<?>) ((List<?>) ((Map<?, ?>) variables.get(SqsKeyQueues.ENV_LOOP_QUEUES)).get("Fn::Join")).get(1);
        for (int i = 0; i < parts.size(); i += 2) {
            String name = ((String) parts.get(i)).replaceFirst("^,", "").replaceFirst("=$", "");
            queues.put(name, parts.get(i + 1));
            assertThat(parts.get(i + 1)).isEqualTo(ref(queueOf(loopFunction(name))));
        }
        return queues;
    }

    private static List<Object> loopQueues() {
        return LoopCatalog.entries().stream().map(entry -> (Object) arn(queueOf(loopFunction(entry.name())))).toList();
    }

    private static void allow(Map<String, Set<Object>> grants, List<String> actions, Collection<Object> resources) {
        actions.forEach(action -> grants.computeIfAbsent(action, a -> new TreeSet<>(
                Comparator.comparing(Object::toString))).addAll(resources));
    }

    /** Every action the role's policy allows, with the resources it allows it on. */
    private static Map<String, Set<Object>> grants(String role) {
        Map<String, Set<Object>> grants = new TreeMap<>();
        for (Map<String, Object> statement : statements(role)) {
            assertThat(statement).containsEntry("Effect", "Allow");
            Object action = statement.get("Action");
            Object resource = statement.get("Resource");
            List<Object> resources = new ArrayList<>();
            (resource instanceof List<?> list ? list : List.of(resource))
                    .forEach(r -> resources.add(resolveImport(state, r)));
            allow(grants, action instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                    : List.of((String) action), resources);
        }
        return grants;
    }

    private static String loopFunction(String loop) {
        return only(plane, "AWS::Lambda::Function", Map.of("Handler", LOOP_HANDLER, "Environment",
                Map.of("Variables", Match.objectLike(Map.of(ControlLoopHandler.ENV_LOOP, loop))))).getKey();
    }

    /** The queue whose mapping triggers the function. */
    private static String queueOf(String function) {
        Map<String, Object> mapping = properties(only(plane, "AWS::Lambda::EventSourceMapping",
                Map.of("FunctionName", ref(function))).getValue());
        return (String) ((List<?>) ((Map<?, ?>) mapping.get("EventSourceArn")).get("Fn::GetAtt")).get(0);
    }

    private static String timerQueue() {
        return queueOf(functionId(TIMER_HANDLER));
    }

    private static String fanOutFailures() {
        Map<String, Object> mapping = properties(only(plane, "AWS::Lambda::EventSourceMapping",
                Map.of("FunctionName", ref(functionId(FAN_OUT_HANDLER)))).getValue());
        Object destination = ((Map<?, ?>) ((Map<?, ?>) mapping.get("DestinationConfig")).get("OnFailure")).get("Destination");
        return (String) ((List<?>) ((Map<?, ?>) destination).get("Fn::GetAtt")).get(0);
    }

    private static Map<String, Object> logStream() {
        String log = table("rv");
        return Map.of("Fn::GetAtt", List.of(log, "StreamArn"));
    }

    private static <T> List<T> concat(List<? extends T> first, List<? extends T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
