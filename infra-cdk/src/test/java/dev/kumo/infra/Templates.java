package dev.kumo.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Helpers for reading synthesized templates in tests. */
public final class Templates {
    private Templates() {
    }

    /** An app with cdk.json's context (feature flags among it), as the CDK CLI would start it. */
    @SuppressWarnings("unchecked")
    public static App app() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), Map.class);
            return App.Builder.create().context((Map<String, Object>) cdkJson.get("context")).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #app()} with more context ({@code -c} options), as the CLI passes them. */
    public static App app(Map<String, String> context) {
        App app = app();
        context.forEach((key, value) -> app.getNode().setContext(key, value));
        return app;
    }

    /** A new temporary directory, for stand-in jars synthesized once per test class. */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A few bytes where the Lambda jar would be: synth hashes and copies it, nothing reads it. */
    public static Path standInJar(Path dir) {
        try {
            return Files.write(dir.resolve("apiserver-stand-in.jar"), new byte[] {'P', 'K', 3, 4});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A second stand-in with other bytes, so that CDK makes it an asset of its own. */
    public static Path otherStandInJar(Path dir) {
        try {
            return Files.write(dir.resolve("cloud-controller-stand-in.jar"), new byte[] {'P', 'K', 3, 4, 0});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one resource of the type whose properties include {@code properties}: its logical id and body. */
    public static Map.Entry<String, Map<String, Object>> only(Template template, String type, Map<String, ?> properties) {
        Map<String, Map<String, Object>> found = template.findResources(type, Map.of("Properties", properties));
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " with " + properties + ", found " + found.keySet());
        }
        return found.entrySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    /**
     * What a value of a consumer stack stands for in the producer: {@code Fn::ImportValue} of one of the producer's
     * exports becomes the exported value (a {@code Ref} or {@code Fn::GetAtt} there); anything else is returned as is.
     */
    public static Object resolveImport(Template producer, Object value) {
        if (!(value instanceof Map<?, ?> map) || !map.containsKey("Fn::ImportValue")) {
            return value;
        }
        Object name = map.get("Fn::ImportValue");
        for (Object output : producer.findOutputs("*").values()) {
            Map<?, ?> out = (Map<?, ?>) output;
            if (out.get("Export") instanceof Map<?, ?> export && name.equals(export.get("Name"))) {
                return out.get("Value");
            }
        }
        throw new AssertionError("the producer exports no " + name);
    }

    /**
     * The string a template value becomes once deployed: a literal as is, an {@code Fn::Join} joined with each
     * non-literal part replaced by {@code resolve}'s answer for it (a {@code Ref}, an {@code Fn::GetAtt}).
     */
    public static String join(Object value, java.util.function.Function<Object, String> resolve) {
        if (value instanceof String literal) {
            return literal;
        }
        if (value instanceof Map<?, ?> map && map.get("Fn::Join") instanceof List<?> join) {
            StringBuilder joined = new StringBuilder();
            List<?> parts = (List<?>) join.get(1);
            for (int i = 0; i < parts.size(); i++) {
                joined.append(i == 0 ? "" : join.get(0)).append(join(parts.get(i), resolve));
            }
            return joined.toString();
        }
        return resolve.apply(value);
    }

    public static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    public static Map<String, Object> arn(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }
}
