package io.sfmcsuppression.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The outbox-age chart's geometry: the largest band fills the plot, the others in proportion. */
class OutboxAgeChartTest {

    @Test
    void theLargestBandFillsThePlotAndTheOthersAreInProportion() {
        OutboxAgeChart chart = OutboxAgeChart.of(List.of(400L, 100L, 0L, 0L, 0L, 8L));
        double plot = OutboxAgeChart.WIDTH - OutboxAgeChart.LABEL_WIDTH - OutboxAgeChart.COUNT_WIDTH;
        assertThat(chart.max()).isEqualTo(400);
        assertThat(chart.bands()).extracting(OutboxAgeChart.Band::label)
                .containsExactly("under 1 min", "1–10 min", "10–60 min", "1–6 h", "6–24 h", "over 1 day");
        assertThat(chart.bands()).extracting(OutboxAgeChart.Band::width).containsExactly(plot, plot / 4, 0.0, 0.0, 0.0, 10.8);
        assertThat(chart.bands().get(1).y()).isEqualTo(chart.bands().get(0).y() + OutboxAgeChart.ROW);
        assertThat(chart.height()).isEqualTo(6 * OutboxAgeChart.ROW);
    }

    @Test
    void nothingWaitingIsAnEmptyChart() {
        assertThat(OutboxAgeChart.of(List.of(0L, 0L, 0L, 0L, 0L, 0L)).max()).isZero();
        assertThatThrownBy(() -> OutboxAgeChart.of(List.of(1L))).isInstanceOf(IllegalArgumentException.class);
    }
}
