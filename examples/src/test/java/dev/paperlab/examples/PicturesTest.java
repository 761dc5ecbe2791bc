package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.AxisPair;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.XYStyler;

class PicturesTest {

    /** The training loss written by {@link #metrics} at step s + 1. */
    private static double[] losses(int steps) {
        Random random = new Random(steps);
        double[] y = new double[steps];
        for (int s = 1; s <= steps; s++) {
            y[s - 1] = 150 + 300 * Math.exp(-5.0 * s / steps) + 10 * random.nextGaussian();
        }
        return y;
    }

    /** A decaying noisy loss for {@code steps} steps and an evaluation every {@code steps / 5}. */
    private static Path metrics(Path dir, int steps) throws IOException {
        double[] y = losses(steps);
        StringBuilder csv = new StringBuilder("step,epoch,split,loss,test_loss\n");
        for (int s = 1; s <= steps; s++) {
            double loss = y[s - 1];
            csv.append(s).append(",0,train,").append(loss).append(",\n");
            if (s % Math.max(1, steps / 5) == 0) {
                csv.append(s)
                        .append(",0,eval,,")
                        .append(150 + 300 * Math.exp(-5.0 * s / steps))
                        .append('\n');
            }
        }
        Path file = dir.resolve("metrics-" + steps + ".csv");
        Files.writeString(file, csv);
        return file;
    }

    /** The x tick labels XChart computed while painting; XChart keeps its axes internal. */
    @SuppressWarnings("rawtypes")
    private static AxisTickCalculator xTicks(XYChart chart) throws ReflectiveOperationException {
        BitmapEncoder.getBufferedImage(chart); // paints, which lays out the ticks
        Field f = Chart.class.getDeclaredField("axisPair");
        f.setAccessible(true);
        return ((AxisPair) f.get(chart)).getXAxis().getAxisTickCalculator();
    }

    @Test
    void stepTicksStayReadableAtAnyRunLength(@TempDir Path dir) throws Exception {
        for (int steps : new int[] {50, 5_000, 500_000}) {
            XYChart chart = Pictures.chart(metrics(dir, steps), "loss", List.of("loss", "test_loss"));
            assertNotNull(chart);
            XYStyler styler = chart.getStyler();
            assertEquals(Pictures.X_TICK_SPACING, styler.getXAxisTickMarkSpacingHint());
            AxisTickCalculator ticks = xTicks(chart);
            // XChart also lists a tick just outside each end, which it does not draw
            List<String> labels = new ArrayList<>();
            List<Double> at = new ArrayList<>();
            for (int i = 0; i < ticks.getTickLabels().size(); i++) {
                double value = parse(ticks.getTickLabels().get(i));
                if (value >= 0 && value <= steps) {
                    labels.add(ticks.getTickLabels().get(i));
                    at.add(ticks.getTickLocations().get(i));
                }
            }
            String where = steps + " steps: " + labels;
            // XChart's round steps may come to 2/3 of the hint: at most 900 / 60 ticks on a 900-pixel chart
            assertTrue(labels.size() >= 3 && labels.size() <= 900 / (2 * Pictures.X_TICK_SPACING / 3), where);
            assertEquals(labels.size(), new HashSet<>(labels).size(), "labels repeat, " + where);
            FontRenderContext frc = new FontRenderContext(null, true, false);
            for (int i = 0; i < labels.size(); i++) {
                assertTrue(labels.get(i).length() <= 5, where);
                if (i > 0) {
                    // neighbours' label halves must fit between their tick positions, with a gap
                    double gap = at.get(i) - at.get(i - 1);
                    double half = (width(styler, labels.get(i), frc) + width(styler, labels.get(i - 1), frc)) / 2;
                    assertTrue(gap > half + 10, "ticks " + gap + " px apart for labels " + half + " px, " + where);
                }
            }
            // the ticks fall on round steps: 1, 2 or 5 times a power of ten
            double step = Math.abs(parse(labels.get(1)) - parse(labels.get(0)));
            double mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
            assertTrue(List.of(1.0, 2.0, 5.0).stream().anyMatch(m -> Math.abs(m - mantissa) < 1e-9), where);
        }
    }

    private static double width(XYStyler styler, String label, FontRenderContext frc) {
        return styler.getAxisTickLabelsFont().getStringBounds(label, frc).getWidth();
    }

    /** Inverse of {@link Pictures#compactStep} for checking tick values. */
    private static double parse(String label) {
        if (label.endsWith("k")) {
            return Double.parseDouble(label.substring(0, label.length() - 1)) * 1e3;
        }
        if (label.endsWith("M")) {
            return Double.parseDouble(label.substring(0, label.length() - 1)) * 1e6;
        }
        return Double.parseDouble(label);
    }

    @Test
    void compactStepLabels() {
        assertEquals("0", Pictures.compactStep(0));
        assertEquals("950", Pictures.compactStep(950));
        assertEquals("1k", Pictures.compactStep(1_000));
        assertEquals("1.25k", Pictures.compactStep(1_250));
        assertEquals("12.5k", Pictures.compactStep(12_500));
        assertEquals("250k", Pictures.compactStep(250_000));
        assertEquals("1.5M", Pictures.compactStep(1_500_000));
    }

    @Test
    void smoothedCurveIsTheBiasCorrectedEmaOfTheRawOne(@TempDir Path dir) throws Exception {
        for (int steps : new int[] {50, 5_000}) {
            XYChart chart = Pictures.chart(metrics(dir, steps), "loss", List.of("loss", "test_loss"));
            XYSeries raw = chart.getSeriesMap().get("train loss");
            XYSeries smooth = chart.getSeriesMap().get("train loss (EMA)");
            assertNotNull(smooth, chart.getSeriesMap().keySet().toString());
            double[] y = losses(steps);
            // independent reference: the weighted mean sum_i beta^(t-i) y_i / sum_i beta^(t-i)
            double beta = 1 - 1 / Math.max(5, steps / 100.0);
            double[] sx = smooth.getXData();
            double[] sy = smooth.getYData();
            assertEquals(Math.min(steps, Pictures.BUCKETS), sx.length);
            assertEquals(steps, sx[sx.length - 1]);
            for (int k : new int[] {0, 1, sx.length / 2, sx.length - 1}) {
                int t = (int) sx[k] - 1;
                double num = 0;
                double den = 0;
                for (int i = 0; i <= t; i++) {
                    double w = Math.pow(beta, t - i);
                    num += w * y[i];
                    den += w;
                }
                // the two orders of summation differ by rounding only: ~1e-12 relative on values ~300
                assertEquals(num / den, sy[k], 1e-9, "step " + (t + 1) + " of " + steps);
            }
            // the raw curve keeps the extremes of the data however long the run
            double[] ry = raw.getYData();
            assertEquals(
                    Arrays.stream(y).max().getAsDouble(),
                    Arrays.stream(ry).max().getAsDouble(),
                    1e-9);
            assertEquals(
                    Arrays.stream(y).min().getAsDouble(),
                    Arrays.stream(ry).min().getAsDouble(),
                    1e-9);
            // and is drawn lighter than its smoothed curve
            assertTrue(brightness(raw) > brightness(smooth));
        }
    }

    private static int brightness(XYSeries series) {
        java.awt.Color c = (java.awt.Color) series.getLineColor();
        return c.getRed() + c.getGreen() + c.getBlue();
    }

    @Test
    void writesThePng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("loss.png");
        Pictures.curves(metrics(dir, 2_400), png, "VAE negative ELBO per example", List.of("loss", "test_loss"));
        assertTrue(Files.size(png) > 0);
        Files.writeString(dir.resolve("empty.csv"), "step,epoch,split,loss\n");
        Pictures.curves(dir.resolve("empty.csv"), dir.resolve("none.png"), "t", List.of("loss"));
        assertTrue(Files.notExists(dir.resolve("none.png")));
    }
}
