package dev.paperlab.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG output: grids of grayscale images and metric curves read back from {@code metrics.csv}. */
public final class Pictures {
    private Pictures() {}

    /**
     * Writes {@code images} (each {@code height * width} values in [0, 1], row-major) as a grid of
     * {@code columns} columns, each cell scaled up by {@code zoom}.
     */
    public static void grid(Path file, float[][] images, int height, int width, int columns, int zoom)
            throws IOException {
        int rows = (images.length + columns - 1) / columns;
        int pad = 2;
        BufferedImage out = new BufferedImage(
                columns * (width * zoom + pad) + pad, rows * (height * zoom + pad) + pad, BufferedImage.TYPE_BYTE_GRAY);
        var raster = out.getRaster();
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                raster.setSample(x, y, 0, 40);
            }
        }
        for (int i = 0; i < images.length; i++) {
            int ox = pad + (i % columns) * (width * zoom + pad);
            int oy = pad + (i / columns) * (height * zoom + pad);
            for (int r = 0; r < height * zoom; r++) {
                for (int c = 0; c < width * zoom; c++) {
                    float v = images[i][(r / zoom) * width + c / zoom];
                    raster.setSample(ox + c, oy + r, 0, Math.round(255 * Math.max(0, Math.min(1, v))));
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(out, "png", file.toFile());
    }

    /**
     * Plots every numeric column of {@code metrics.csv} named in {@code metrics} against the step,
     * training rows as lines and evaluation rows as markers.
     */
    public static void curves(Path metricsCsv, Path png, String title, List<String> metrics) throws IOException {
        List<String> lines = Files.readAllLines(metricsCsv);
        if (lines.size() < 2) {
            return;
        }
        String[] header = lines.get(0).split(",", -1);
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step").build();
        chart.getStyler().setMarkerSize(6);
        for (String metric : metrics) {
            int col = List.of(header).indexOf(metric);
            if (col < 0) {
                continue;
            }
            Map<String, List<double[]>> bySplit = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                if (col < f.length && !f[col].isEmpty()) {
                    bySplit.computeIfAbsent(f[2], k -> new ArrayList<>())
                            .add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[col])});
                }
            }
            for (Map.Entry<String, List<double[]>> e : bySplit.entrySet()) {
                List<double[]> pts = e.getValue();
                double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray();
                double[] ys = pts.stream().mapToDouble(p -> p[1]).toArray();
                var series = chart.addSeries(e.getKey() + " " + metric, xs, ys);
                if (e.getKey().equals("eval")) {
                    series.setMarker(SeriesMarkers.CIRCLE);
                } else {
                    series.setMarker(SeriesMarkers.NONE);
                }
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
