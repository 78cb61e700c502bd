package io.meridian.sim.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class ProgressLineTest {

    @Test
    void formatsTheDocumentedExample() {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("eu", "PRIMARY");
        roles.put("us", "SECONDARY");

        String line = ProgressLine.format(12.34, "steady", 12_345, 4_012.4, Map.of("us", 23.2), roles);

        assertThat(line).isEqualTo("[  12.3s] steady  writes 12,345 (4,012/s)  lag us p99 23ms  eu:PRIMARY us:SECONDARY");
    }

    @Test
    void handlesSeveralRegionsMissingLagAndSmallValues() {
        Map<String, Double> lag = new LinkedHashMap<>();
        lag.put("us", 4.25);
        lag.put("ap", null);
        lag.put("sa", Double.NaN);

        String line = ProgressLine.format(1234.5, "failover", 0, Double.NaN, lag, Map.of("us", "FENCED"));

        assertThat(line).isEqualTo("[1234.5s] failover  writes 0 (-/s)  lag us p99 4.3ms ap p99 - sa p99 -  us:FENCED");
    }

    @Test
    void leavesOutEmptySectionsAndIgnoresTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(ProgressLine.format(0.05, "warmup", 1_000_000, 999.6, Map.of(), Map.of()))
                    .isEqualTo("[   0.1s] warmup  writes 1,000,000 (1,000/s)");
        } finally {
            Locale.setDefault(before);
        }
    }
}
