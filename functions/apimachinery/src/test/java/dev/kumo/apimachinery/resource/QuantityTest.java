package dev.kumo.apimachinery.resource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Canonical forms and values as Kubernetes' resource.Quantity gives them (cases from its quantity_test.go). */
class QuantityTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "0, 0", "0n, 0", "0Mi, 0", "-0, 0",
            "1, 1", "1000m, 1", "100m, 100m", "0.1, 100m", "1.5, 1500m", ".5, 500m", "1., 1",
            "0.001, 1m", "0.0001, 100u", "1n, 1n", "0.0000000001, 1n", "1.0000000001, 1000000001n",
            "1000k, 1M", "1000, 1k", "1500, 1500", "12k, 12k", "1.5k, 1500", "1E, 1E", "1000P, 1E",
            "1Ki, 1Ki", "1024, 1024", "1536Mi, 1536Mi", "1.5Gi, 1536Mi", "0.5Gi, 512Mi", "0.5Ki, 512",
            "1.5Ki, 1536", "1023Ki, 1023Ki", "1024Ki, 1Mi", "100.035Ki, 102435840m", "-1Ki, -1Ki", "-100Ki, -100Ki",
            "1e3, 1e3", "1E3, 1e3", "1e-3, 1e-3", "12e-3, 12e-3", "1.5e3, 1500", "1.5e-3, 1500e-6", "10e5, 1e6",
            "-1, -1", "-100m, -100m", "+1, 1", "-0.5, -500m", "5Gi, 5Gi", "128974848, 128974848", "129e6, 129e6", "129M, 129M",
            "123Mi, 123Mi", "7Ei, 7Ei", "8Ei, 9223372036854775807"})
    void canonicalForm(String text, String canonical) {
        assertThat(Quantity.parse(text).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "1.2.3", "1Kb", "1 Ki", "Ki", ".", "1e1.5", "--1"})
    void malformedQuantitiesAreRefusedWithKubernetesMessage(String text) {
        assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Quantity.FORMAT_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ki", "1mk", "1e", "1Mm", "1mi", "1-"})
    void unknownSuffixes(String text) {
        assertThatThrownBy(() -> Quantity.parse(text)).hasMessage("unable to parse quantity's suffix");
    }

    @Test
    void valuesRoundUpAwayFromZero() {
        assertThat(Quantity.parse("1500m").value()).isEqualTo(2);
        assertThat(Quantity.parse("-1500m").value()).isEqualTo(-2);
        assertThat(Quantity.parse("1").milliValue()).isEqualTo(1000);
        assertThat(Quantity.parse("0.5m").milliValue()).isEqualTo(1);
        assertThat(Quantity.parse("1Gi").value()).isEqualTo(1L << 30);
        assertThat(Quantity.parse("10E").value()).isEqualTo(Long.MAX_VALUE);
        assertThat(Quantity.parse("16Ei").amount()).isEqualTo(BigDecimal.valueOf(Long.MAX_VALUE));
    }

    @Test
    void sumsKeepTheFirstNonZeroFormat() {
        assertThat(Quantity.parse("500m").add(Quantity.parse("500m")).toString()).isEqualTo("1");
        assertThat(Quantity.parse("128Mi").add(Quantity.parse("128Mi")).toString()).isEqualTo("256Mi");
        assertThat(Quantity.ZERO.add(Quantity.parse("1Gi")).toString()).isEqualTo("1Gi");
        assertThat(Quantity.parse("1Gi").subtract(Quantity.parse("512Mi")).toString()).isEqualTo("512Mi");
        assertThat(Quantity.parse("1").subtract(Quantity.parse("1500m")).toString()).isEqualTo("-500m");
    }

    @Test
    void equalityIsByValue() {
        assertThat(Quantity.parse("1")).isEqualTo(Quantity.parse("1000m")).hasSameHashCodeAs(Quantity.parse("1000m"));
        assertThat(Quantity.parse("1Ki")).isEqualTo(Quantity.parse("1024"));
        assertThat(Quantity.parse("1Ki").compareTo(Quantity.parse("1k"))).isPositive();
    }

    @Test
    void podResourcesCountSidecarsAndTheLargestInitContainer() throws Exception {
        var spec = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"containers":[{"name":"a","resources":{"requests":{"cpu":"100m","memory":"64Mi"},
                                                        "limits":{"cpu":"1"}}},
                               {"name":"b","resources":{"requests":{"cpu":"200m"}}}],
                 "initContainers":[{"name":"init","resources":{"requests":{"cpu":"2","memory":"32Mi"}}},
                                   {"name":"side","restartPolicy":"Always","resources":{"requests":{"cpu":"50m"}}}],
                 "overhead":{"cpu":"10m"}}""");
        assertThat(PodResources.requests(spec, false).prettyPrint()).isEqualTo("cpu=2,memory=64Mi");
        assertThat(PodResources.requests(spec, true).prettyPrint()).isEqualTo("cpu=2010m,memory=64Mi");
        assertThat(PodResources.limits(spec, true).prettyPrint()).isEqualTo("cpu=1010m");
    }
}
