package dev.kumo.infra;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.cloud.CloudSettings;
import dev.kumo.controllers.lambda.LoopCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Lambda function of the whole app (every stack, as {@code ./kumo deploy} wires them) against the code it runs,
 * so that a rename cannot silently break a deploy: its handler names a public class with a public no-argument
 * constructor that implements Lambda's {@code RequestHandler} or {@code RequestStreamHandler} and has the named
 * method; and every variable of its environment is a name the code of its jar mentions (a string constant in the
 * handler's module or in apimachinery, which every Lambda jar carries: a variable nobody reads, or one renamed on
 * one side only, fails).
 */
class FunctionsMatchCodeTest {
    @Test
    void everyFunctionsHandlerAndEnvironmentMatchTheCode(@TempDir Path dir) {
        App app = Templates.app();
        Path jar = Templates.standInJar(dir);
        Path cloudJar = Templates.otherStandInJar(dir); // its own asset: which functions run it shows in the template
        KumoApp.wire(app, DeploymentConfig.from(Templates.app(Map.of(
                DeploymentConfig.APISERVER_JAR, jar.toString(),
                DeploymentConfig.CONTROLLERS_JAR, jar.toString(),
                DeploymentConfig.CLOUD_CONTROLLER_JAR, cloudJar.toString(),
                DeploymentConfig.NODE_AGENT_JAR, jar.toString())), Map.of()));
        String cloudKey = cloudJarKey(app);
        Map<Path, Set<String>> constantsByModule = new HashMap<>();
        List<String> checked = new ArrayList<>();
        for (Stack stack : app.getNode().getChildren().stream().filter(Stack.class::isInstance).map(Stack.class::cast).toList()) {
            Template template = Template.fromStack(stack);
            template.findResources("AWS::Lambda::Function").forEach((id, resource) -> {
                Map<?, ?> properties = (Map<?, ?>) resource.get("Properties");
                String handler = (String) properties.get("Handler");
                Class<?> type = handlerClass(stack.getStackName() + "/" + id, handler);
                Set<String> names = new HashSet<>();
                List<Path> modules = new ArrayList<>(List.of(location(type), location(StorageEncryption.class)));
                if (cloudKey.equals(s3Key(properties))) {
                    modules.add(location(CloudSettings.class)); // the cloud controller's jar carries it too
                }
                for (Path module : modules) {
                    names.addAll(constantsByModule.computeIfAbsent(module, FunctionsMatchCodeTest::stringConstants));
                }
                Map<?, ?> environment = properties.get("Environment") instanceof Map<?, ?> e
                        ? (Map<?, ?>) e.get("Variables") : Map.of();
                for (Object variable : environment.keySet()) {
                    assertThat(names).as("%s/%s (%s) sets %s, which its code never names", stack.getStackName(),
                            id, handler, variable).contains((String) variable);
                }
                checked.add(handler);
            });
        }
        assertThat(checked).as("functions checked").hasSizeGreaterThanOrEqualTo(6)
                .contains("dev.kumo.apiserver.lambda.ApiGatewayHandler::handleRequest");
    }

    @Test
    void aNameTheCodeNeverMentionsIsCaught() {
        Set<String> apiserver = stringConstants(location(dev.kumo.apiserver.lambda.ApiGatewayHandler.class));
        assertThat(apiserver).contains("KUMO_CLUSTER_NAME", "KUMO_IAM_MAPPINGS").doesNotContain("KUMO_CLUSTER_NAM");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handlerClass("x", "dev.kumo.apiserver.lambda.Gone::handleRequest"))
                .hasMessageContaining("no class");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handlerClass("x", "java.lang.String::length"))
                .hasMessageContaining("RequestHandler");
    }

    /** The S3 key of the cloud controller's jar: the code of the loops that run as its user. */
    private static String cloudJarKey(App app) {
        for (Stack stack : app.getNode().getChildren().stream().filter(Stack.class::isInstance).map(Stack.class::cast).toList()) {
            for (Map<String, Object> resource : Template.fromStack(stack).findResources("AWS::Lambda::Function").values()) {
                Map<?, ?> properties = (Map<?, ?>) resource.get("Properties");
                if (String.valueOf(properties.get("Description")).endsWith(LoopCatalog.CLOUD_CONTROLLER_USER)) {
                    return s3Key(properties);
                }
            }
        }
        throw new AssertionError("no function runs as " + LoopCatalog.CLOUD_CONTROLLER_USER);
    }

    private static String s3Key(Map<?, ?> properties) {
        return String.valueOf(((Map<?, ?>) properties.get("Code")).get("S3Key"));
    }

    /** The class of {@code Class::method}, checked as Lambda's Java runtime loads it. */
    private static Class<?> handlerClass(String function, String handler) {
        String[] parts = handler.split("::", 2);
        assertThat(parts).as("%s: handler %s is Class::method", function, handler).hasSize(2);
        Class<?> type;
        try {
            type = Class.forName(parts[0], false, FunctionsMatchCodeTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(function + ": no class " + parts[0] + " (handler " + handler + ")", e);
        }
        assertThat(RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type))
                .as("%s: %s implements RequestHandler or RequestStreamHandler", function, type.getName()).isTrue();
        assertThat(Modifier.isPublic(type.getModifiers())).as("%s: %s is public", function, type.getName()).isTrue();
        try {
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(function + ": " + type.getName() + " has no public no-argument constructor", e);
        }
        assertThat(Arrays.stream(type.getMethods()).map(Method::getName)).as("%s: method %s", function, parts[1])
                .contains(parts[1]);
        return type;
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every string constant of the {@code dev/kumo} classes in a module's classes directory or jar. */
    static Set<String> stringConstants(Path module) {
        Set<String> constants = new HashSet<>();
        try {
            if (Files.isDirectory(module)) {
                try (Stream<Path> files = Files.walk(module.resolve("dev/kumo"))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        constants.addAll(ClassConstants.strings(Files.readAllBytes(file)));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(module.toFile())) {
                    for (var entry : jar.stream().filter(e -> e.getName().startsWith("dev/kumo/")
                            && e.getName().endsWith(".class")).toList()) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            constants.addAll(ClassConstants.strings(in.readAllBytes()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return constants;
    }

    /** The UTF-8 entries of a class file's constant pool (string literals, names). */
    static final class ClassConstants {
        private ClassConstants() {
        }

        static List<String> strings(byte[] bytes) {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
            in.position(8); // magic, minor, major
            int count = Short.toUnsignedInt(in.getShort());
            List<String> strings = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = Byte.toUnsignedInt(in.get());
                switch (tag) {
                    case 1 -> {
                        byte[] utf = new byte[Short.toUnsignedInt(in.getShort())];
                        in.get(utf);
                        strings.add(new String(utf, StandardCharsets.UTF_8));
                    }
                    case 7, 8, 16, 19, 20 -> in.position(in.position() + 2);
                    case 15 -> in.position(in.position() + 3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.position(in.position() + 4);
                    case 5, 6 -> {
                        in.position(in.position() + 8);
                        i++; // longs and doubles take two slots
                    }
                    default -> throw new IllegalArgumentException("constant pool tag " + tag);
                }
            }
            return strings;
        }
    }
}
