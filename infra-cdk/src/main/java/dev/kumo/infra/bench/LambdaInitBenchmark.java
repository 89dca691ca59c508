package dev.kumo.infra.bench;

import dev.kumo.cloud.CloudSettings;
import dev.kumo.infra.DeploymentConfig;
import dev.kumo.apimachinery.aws.AwsClients;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.infra.KumoApp;
import dev.kumo.infra.state.ClusterKeys;
import software.amazon.awscdk.App;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./kumo bench lambda-init}: the Lambda jars' sizes, and for each kind of function in the synthesized app
 * (the API, compaction, the fan-out, timer, tick, and the scheduler and one controller loop) the time its handler
 * takes to be built in a fresh JVM (Lambda's init) and to answer a first invocation that needs no AWS call, from the
 * template's own environment; {@code --runs} fresh JVMs each, the median printed. The JVM is started as Lambda's
 * Java 21 runtime starts it: {@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}, pinned to {@code --cpus} cores by
 * {@code taskset} when it exists (Lambda gives a function one vCPU at 1,769 MB).
 */
public final class LambdaInitBenchmark {
    private LambdaInitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>(Map.of("--runs", "3", "--cpus", "1"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path apiJar = Path.of(options.get("--apiserver-jar"));
        Path loopsJar = Path.of(options.get("--controllers-jar"));
        Path cloudJar = Path.of(options.get("--cloud-controller-jar"));
        Path agentJar = Path.of(options.get("--agent-jar"));
        int runs = Integer.parseInt(options.get("--runs"));
        int cpus = Integer.parseInt(options.get("--cpus"));

        System.out.println("Lambda jars:");
        for (Path jar : List.of(apiJar, loopsJar, cloudJar)) {
            System.out.printf("  %-60s %6.1f MB%n", jar.getFileName(), Files.size(jar) / 1048576.0);
        }
        System.out.printf("  %-60s %6.1f MB (node agent, not a Lambda)%n", agentJar.getFileName(),
                Files.size(agentJar) / 1048576.0);

        App app = new App();
        Map.of(DeploymentConfig.APISERVER_JAR, apiJar.toString(), DeploymentConfig.CONTROLLERS_JAR, loopsJar.toString(),
                DeploymentConfig.CLOUD_CONTROLLER_JAR, cloudJar.toString(),
                DeploymentConfig.NODE_AGENT_JAR, agentJar.toString()).forEach(app.getNode()::setContext);
        KumoApp.wire(app, DeploymentConfig.from(app, Map.of()));
        CloudAssembly assembly = app.synth();
        Map<String, Map<String, Object>> templates = new LinkedHashMap<>();
        for (CloudFormationStackArtifact stack : assembly.getStacks()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> template = (Map<String, Object>) stack.getTemplate();
            templates.put(stack.getStackName(), template);
        }
        DeployedValues values = new DeployedValues(templates);

        System.out.printf("%nHandler init in a fresh JVM (median of %d, %d CPU%s; Temurin %s):%n", runs, cpus,
                cpus == 1 ? "" : "s", Runtime.version());
        System.out.printf("  %-34s %9s %10s %9s %8s%n", "function", "init ms", "1st call", "heap MB", "classes");
        Path work = Files.createTempDirectory("kumo-lambda-init");
        try (LocalAws kms = LocalAws.start(ClusterKeys.ENV_SECRETS_KEY, ClusterKeys.ENV_TOKEN_SIGNING_KEY,
                AwsClients.ENV_KMS_ENDPOINT, AwsClients.ENV_DYNAMODB_ENDPOINT, Map.of(
                        StoreTables.ENV_OBJECTS_TABLE, "kumo-bench-objects", StoreTables.ENV_LOG_TABLE, "kumo-bench-log"))) {
            measureAll(templates, values, kms, apiJar, loopsJar, cloudJar, runs, cpus, work);
        }
        System.out.println("  (init: the handler's constructor, what Lambda's init phase runs; 1st call: one invocation"
                + " after it, with no AWS call; heap and classes after both; *: KMS and DynamoDB answered by moto on"
                + " loopback; primed: the constructor and the SnapStart priming hook, as a SnapStart version's init"
                + " runs them)");
    }

    private static void measureAll(Map<String, Map<String, Object>> templates, DeployedValues values, LocalAws kms,
                                   Path apiJar, Path loopsJar, Path cloudJar, int runs, int cpus, Path work)
            throws IOException, InterruptedException {
        Map<String, Boolean> seen = new TreeMap<>();
        for (Map.Entry<String, Map<String, Object>> template : templates.entrySet()) {
            Map<?, ?> resources = (Map<?, ?>) template.getValue().get("Resources");
            for (Map.Entry<?, ?> resource : resources.entrySet()) {
                Map<?, ?> body = (Map<?, ?>) resource.getValue();
                if (!"AWS::Lambda::Function".equals(body.get("Type"))) {
                    continue;
                }
                Map<?, ?> properties = (Map<?, ?>) body.get("Properties");
                String handler = (String) properties.get("Handler");
                String className = handler.substring(0, handler.indexOf("::"));
                Map<String, String> env = new TreeMap<>();
                Map<?, ?> variables = properties.get("Environment") instanceof Map<?, ?> e
                        ? (Map<?, ?>) e.get("Variables") : Map.of();
                variables.forEach((name, value) -> env.put((String) name, values.resolve(template.getKey(), value)));
                env.put("AWS_REGION", DeployedValues.REGION);
                String loop = env.getOrDefault("KUMO_LOOP", "");
                String label = className.substring(className.lastIndexOf('.') + 1) + (loop.isEmpty() ? "" : " (" + loop + ")");
                boolean cloud = env.containsKey(CloudSettings.ENV_PROVIDER) || className.endsWith(".FanOutHandler");
                boolean controller = !loop.isEmpty() && !loop.equals("scheduler");
                String kind = controller ? (env.containsKey(CloudSettings.ENV_PROVIDER) ? "cloud controller"
                        : "controller") : label;
                if (seen.putIfAbsent(kind, true) != null) {
                    continue; // one controller loop stands for all of its jar: same class, same init
                }
                if (env.containsKey(ClusterKeys.ENV_TOKEN_SIGNING_KEY)) {
                    if (kms == null) {
                        System.out.printf("  %-34s skipped: its init asks KMS for the signing key; install moto "
                                + "(pip install 'moto[server]') for a local KMS and DynamoDB%n", label);
                        continue;
                    }
                    env.putAll(kms.environment());
                    label += " *";
                }
                Path jar = className.startsWith("dev.kumo.apiserver.") ? apiJar : cloud ? cloudJar : loopsJar;
                measure(label, className, env, jar, event(className), runs, cpus, work);
                if (className.endsWith(".ApiGatewayHandler")) {
                    measure(label.replace("ApiGatewayHandler", "ApiGatewayHandler primed"), className, env, jar,
                            event(className) + LambdaInitProbe.PRIMED, runs, cpus, work);
                }
            }
        }
    }

    private static String event(String className) {
        return switch (className.substring(className.lastIndexOf('.') + 1)) {
            case "ApiGatewayHandler" -> "http";
            case "ControlLoopHandler", "TimerHandler" -> "sqs";
            case "FanOutHandler" -> "dynamodb";
            default -> "none"; // compaction and the tick call AWS on every invocation
        };
    }

    private static void measure(String label, String className, Map<String, String> env, Path jar, String event,
                                int runs, int cpus, Path work) throws IOException, InterruptedException {
        Path envFile = work.resolve(label.replaceAll("[^A-Za-z0-9]", "_") + ".properties");
        Properties properties = new Properties();
        properties.putAll(env);
        try (Writer out = Files.newBufferedWriter(envFile, StandardCharsets.UTF_8)) {
            properties.store(out, null);
        }
        String probeClasses = Path.of(LambdaInitProbe.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath()).toString();
        List<Map<String, Double>> results = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/taskset"))) {
                command.addAll(List.of("/usr/bin/taskset", "-c", cpus == 1 ? "0" : "0-" + (cpus - 1)));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-cp", jar + java.io.File.pathSeparator + probeClasses,
                    LambdaInitProbe.class.getName(), className, envFile.toString(), event));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                System.out.printf("  %-34s failed: %s%n", label, output.strip().lines().reduce((a, b) -> b).orElse(""));
                return;
            }
            Map<String, Double> figures = new TreeMap<>();
            output.lines().filter(l -> l.startsWith("init_ms=")).findFirst().ifPresent(line -> {
                for (String pair : line.split(" ")) {
                    String[] kv = pair.split("=");
                    figures.put(kv[0], Double.parseDouble(kv[1]));
                }
            });
            results.add(figures);
        }
        System.out.printf("  %-34s %9.0f %10s %9.1f %8.0f%n", label, median(results, "init_ms"),
                event.equals("none") ? "-" : String.format("%.0f", median(results, "invoke_ms")),
                median(results, "heap_mb"), median(results, "classes"));
    }

    private static double median(List<Map<String, Double>> results, String key) {
        List<Double> sorted = results.stream().map(r -> r.getOrDefault(key, Double.NaN)).sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
