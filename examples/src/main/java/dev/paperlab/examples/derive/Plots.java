package dev.paperlab.examples.derive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts of the derivations' and experiments' curves (XChart). */
public final class Plots {

    private Plots() {}

    /**
     * Writes one chart: each entry of {@code series} is {@code {xs, ys}}; a name starting with
     * {@code "."} is drawn as markers only (a measurement), the rest as lines.
     */
    public static void lines(
            Path png,
            String title,
            String xLabel,
            String yLabel,
            boolean logX,
            boolean logY,
            Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder()
                .width(800)
                .height(500)
                .title(title)
                .xAxisTitle(xLabel)
                .yAxisTitle(yLabel)
                .build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(6);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            boolean dots = e.getKey().startsWith(".");
            XYSeries s = chart.addSeries(dots ? e.getKey().substring(1) : e.getKey(), e.getValue()[0], e.getValue()[1]);
            if (dots) {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else {
                s.setMarker(SeriesMarkers.NONE);
            }
        }
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] range(int from, int to) {
        double[] x = new double[to - from + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = from + i;
        }
        return x;
    }
}
