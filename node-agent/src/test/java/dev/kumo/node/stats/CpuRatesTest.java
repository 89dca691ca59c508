package dev.kumo.node.stats;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** usageNanoCores from two cumulative readings, as the kubelet's CRI stats provider computes it. */
class CpuRatesTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void theFirstReadingHasNoRateTheSecondTheUsageOverTheWindow() {
        CpuRates rates = new CpuRates();
        assertThat(rates.update("c1", CpuStats.cumulative(T0, 1_000_000_000L))).isNull();
        // 0.5 s of CPU in 2 s: a quarter of a core
        assertThat(rates.update("c1", CpuStats.cumulative(T0.plusSeconds(2), 1_500_000_000L)))
                .isEqualTo(250_000_000L);
        // 3 cores busy for 1 s
        assertThat(rates.update("c1", CpuStats.cumulative(T0.plusSeconds(3), 4_500_000_000L)))
                .isEqualTo(3_000_000_000L);
    }

    @Test
    void readersSeeTheLastRateWithoutMovingTheWindow() {
        CpuRates rates = new CpuRates();
        CpuStats later = CpuStats.cumulative(T0.plusSeconds(10), 2_000_000_000L);
        assertThat(rates.latest("c1", later)).isNull();
        rates.update("c1", CpuStats.cumulative(T0, 0));
        assertThat(rates.latest("c1", later)).as("no rate before the second sample").isNull();
        rates.update("c1", later);
        assertThat(rates.latest("c1", CpuStats.cumulative(T0.plusSeconds(11), 9_000_000_000L)))
                .isEqualTo(200_000_000L);
        assertThat(rates.update("c1", CpuStats.cumulative(T0.plusSeconds(20), 3_000_000_000L)))
                .as("the window still starts at the sampler's reading").isEqualTo(100_000_000L);
    }

    @Test
    void theRuntimesOwnRateWinsAndACounterThatWentBackStartsOver() {
        CpuRates rates = new CpuRates();
        assertThat(rates.update("c1", new CpuStats(T0, 42L, 5L))).isEqualTo(42L);
        assertThat(rates.latest("c1", new CpuStats(T0, 7L, 5L))).isEqualTo(7L);
        rates.update("c2", CpuStats.cumulative(T0, 9_000_000_000L));
        assertThat(rates.update("c2", CpuStats.cumulative(T0.plusSeconds(1), 100L))).isNull();
        assertThat(rates.update("c2", CpuStats.cumulative(T0.plusSeconds(2), 100_000_100L))).isEqualTo(100_000_000L);
        assertThat(rates.update("c3", new CpuStats(T0, null, null))).isNull();
    }

    @Test
    void aReadingNoNewerThanTheKeptOneHasNoRateAndIsNotKept() {
        CpuRates rates = new CpuRates();
        rates.update("c1", CpuStats.cumulative(T0, 10));
        assertThat(rates.update("c1", CpuStats.cumulative(T0, 20))).isNull();
        assertThat(rates.update("c1", CpuStats.cumulative(T0.plusSeconds(1), 100_000_010L)))
                .as("measured from the kept reading").isEqualTo(100_000_000L);
    }

    @Test
    void oldReadingsAreForgotten() {
        CpuRates rates = new CpuRates();
        rates.update("c1", CpuStats.cumulative(T0, 0));
        rates.forgetOld(T0.plus(CpuRates.CACHE_PERIOD).plusSeconds(1));
        assertThat(rates.update("c1", CpuStats.cumulative(T0.plusSeconds(700), 1_000))).as("started over").isNull();
    }
}
