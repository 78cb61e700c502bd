package io.meridian.sim.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class SvgChartTest {

    @Test
    void axisTopIsARoundNumberAtOrAboveTheMaximum() {
        assertThat(SvgChart.niceCeiling(0)).isEqualTo(1);
        assertThat(SvgChart.niceCeiling(Double.NaN)).isEqualTo(1);
        assertThat(SvgChart.niceCeiling(0.3)).isEqualTo(0.5);
        assertThat(SvgChart.niceCeiling(1)).isEqualTo(1);
        assertThat(SvgChart.niceCeiling(13)).isEqualTo(20);
        assertThat(SvgChart.niceCeiling(4_012)).isEqualTo(5_000);
        assertThat(SvgChart.niceCeiling(60_000)).isEqualTo(100_000);
    }

    @Test
    void escapesMarkupInTextAndAttributes() {
        assertThat(SvgChart.esc("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
        assertThat(SvgChart.esc(null)).isEmpty();
    }

    @Test
    void lineChartPlotsEveryPointInsideThePlotArea() {
        String svg = SvgChart.lines("t", "ms", List.of(new SvgChart.Series("us",
                List.of(new double[]{0, 0}, new double[]{5, 50}, new double[]{10, 100}))), 10);

        String points = svg.substring(svg.indexOf("points=\"") + 8, svg.indexOf('"', svg.indexOf("points=\"") + 8));
        assertThat(points.trim().split(" ")).hasSize(3).allSatisfy(p -> {
            double x = Double.parseDouble(p.split(",")[0]);
            double y = Double.parseDouble(p.split(",")[1]);
            assertThat(x).isBetween(0.0, (double) SvgChart.WIDTH);
            assertThat(y).isBetween(0.0, (double) SvgChart.HEIGHT);
        });
        // The highest point sits above (smaller y than) the lowest.
        String[] p = points.trim().split(" ");
        assertThat(Double.parseDouble(p[2].split(",")[1])).isLessThan(Double.parseDouble(p[0].split(",")[1]));
    }
}
