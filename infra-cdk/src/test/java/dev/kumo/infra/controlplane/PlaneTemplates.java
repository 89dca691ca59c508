package dev.kumo.infra.controlplane;

import dev.kumo.infra.state.StateStack;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.kumo.infra.Templates.app;
import static dev.kumo.infra.Templates.only;
import static dev.kumo.infra.Templates.properties;
import static dev.kumo.infra.Templates.ref;
import static dev.kumo.infra.Templates.standInJar;

/**
 * The state and control plane templates of one app (cluster {@code prod}, an admin role and an admin user),
 * synthesized once for the tests of this package, and lookups by logical id.
 */
final class PlaneTemplates {
    static final Template STATE;
    static final Template PLANE;

    static {
        Path dir;
        try {
            dir = Files.createTempDirectory("kumo-plane");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        App app = app();
        StateStack stateStack = new StateStack(app, "state", StackProps.builder().build());
        ControlPlaneStack planeStack = new ControlPlaneStack(app, "plane", ControlPlaneStackProps.builder()
                .store(stateStack.store())
                .keys(stateStack.keys())
                .cluster("prod")
                .admins(List.of("arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:user/alice"))
                .apiserverJar(standInJar(dir))
                .controllersJar(standInJar(dir))
                .build());
        STATE = Template.fromStack(stateStack);
        PLANE = Template.fromStack(planeStack);
    }

    private PlaneTemplates() {
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
