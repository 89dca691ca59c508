package dev.kumo.e2e.support;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test once per kubectl release the suite proves: 1.32, the Kubernetes version kumo implements, and 1.28,
 * four releases older (kubectl supports a skew of one minor version, but users run older ones; they negotiate
 * discovery and OpenAPI differently). The test takes the release as a {@code String} and asks the cluster for
 * that {@link Kubectl}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "kubectl {0}")
@ValueSource(strings = {"1.28", "1.32"})
public @interface ForEachKubectl {
}
