package dev.paperlab.examples;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG output: grids of grayscale images and metric curves read back from {@code metrics.csv}.
 *
 * <p>Curves: each training metric is drawn raw in a light colour with its exponential moving
 * average on top (see {@link #ema}); evaluation rows are markers. A curve longer than {@value
 * #BUCKETS} points is drawn through that many buckets of steps: the raw curve by each bucket's
 * lowest and highest value (its envelope, which is what a dense line shows), the EMA, computed
 * on every point, by each bucket's last value. Step labels stay readable at any
 * run length: compact numbers ({@code 950, 1.2k, 250k, 1.5M}, see {@link #compactStep}) at least
 * {@value #X_TICK_SPACING} pixels apart, on an axis starting at 0 so ticks fall on round steps.
 */
public final class Pictures {
    /** Minimum pixels between step ticks; wider than any {@link #compactStep} label (at most 5 characters). */
    static final int X_TICK_SPACING = 90;

    /** The EMA's time constant as a share of the run: 1% of the points, at least {@value #MIN_EMA_SPAN}. */
    static final double EMA_SHARE = 0.01;

    /** Shortest EMA time constant, in points. */
    static final int MIN_EMA_SPAN = 5;

    /** Longer curves are drawn through {@value #BUCKETS} buckets (the chart is 900 pixels wide). */
    static final int BUCKETS = 1000;

    private static final Color[] COLOURS = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40)
    };

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
     * training rows as a light raw line under its EMA, evaluation rows as markers. Writes nothing
     * when there is nothing to plot.
     */
    public static void curves(Path metricsCsv, Path png, String title, List<String> metrics) throws IOException {
        XYChart chart = chart(metricsCsv, title, metrics);
        if (chart != null) {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** The chart {@link #curves} draws, or null when nothing in the file is to be plotted. */
    static XYChart chart(Path metricsCsv, String title, List<String> metrics) throws IOException {
        List<String> lines = Files.readAllLines(metricsCsv);
        if (lines.size() < 2) {
            return null;
        }
        String[] header = lines.get(0).split(",", -1);
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(500)
                .title(title)
                .xAxisTitle("step")
                .build();
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisTickMarkSpacingHint(X_TICK_SPACING);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Pictures::compactStep);
        int colour = 0;
        double first = Double.NaN;
        double last = Double.NaN;
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
                first = Double.isNaN(first) ? ys[0] : first;
                last = Double.isNaN(last) ? xs[xs.length - 1] : Math.max(last, xs[xs.length - 1]);
                Color c = COLOURS[colour++ % COLOURS.length];
                String name = e.getKey() + " " + metric;
                if (e.getKey().equals("eval")) {
                    XYSeries series = chart.addSeries(name, xs, ys);
                    series.setMarker(SeriesMarkers.CIRCLE);
                    series.setLineColor(c);
                    series.setMarkerColor(c);
                } else {
                    double[][] envelope = envelope(xs, ys);
                    XYSeries raw = chart.addSeries(name, envelope[0], envelope[1]);
                    raw.setMarker(SeriesMarkers.NONE);
                    raw.setLineColor(lighter(c));
                    raw.setLineWidth(1f);
                    double[][] smoothed = lastOfBuckets(xs, ema(ys, emaBeta(ys.length)));
                    XYSeries smooth = chart.addSeries(name + " (EMA)", smoothed[0], smoothed[1]);
                    smooth.setMarker(SeriesMarkers.NONE);
                    smooth.setLineColor(c);
                    smooth.setLineWidth(2.5f);
                }
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            return null;
        }
        anchorTicks(chart, last, first);
        return chart;
    }

    /**
     * XChart (3.8) ignores the tick spacing hint when the x values of all series, in the order
     * added, are equally spaced (steps 1, 2, 3, ...): it then puts ticks on every k-th step from
     * the first, at the smallest k whose labels barely fit, which gave touching labels such as
     * {@code 1,137 1,279}. An invisible two-point series (0, y) and (last step, y), added first,
     * breaks the equal spacing, so XChart picks round steps ({@code 0, 500, 1k, ...}) at least
     * {@link #X_TICK_SPACING} pixels apart. It spans the x-axis and lies at a plotted y value, so
     * it changes neither range.
     */
    private static void anchorTicks(XYChart chart, double lastStep, double y) {
        Map<String, XYSeries> existing = new LinkedHashMap<>(chart.getSeriesMap());
        existing.keySet().forEach(chart::removeSeries);
        XYSeries anchor = chart.addSeries(ANCHOR, new double[] {0, Math.max(1, lastStep)}, new double[] {y, y});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setShowInLegend(false);
        chart.getSeriesMap().putAll(existing);
    }

    /** Name of the invisible series that makes XChart choose round step ticks. */
    static final String ANCHOR = " ";

    /**
     * Bias-corrected exponential moving average, as Adam corrects its moments (Kingma &amp; Ba
     * 2015) and TensorBoard smooths: {@code m_t = beta m_(t-1) + (1 - beta) y_t}, {@code m_0 = 0},
     * plotted as {@code m_t / (1 - beta^t)}, so the first points are not pulled towards 0.
     *
     * @param ys values in step order
     * @param beta decay in [0, 1)
     * @return the smoothed values, one per input
     */
    static double[] ema(double[] ys, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + beta);
        }
        double[] out = new double[ys.length];
        double m = 0;
        double power = 1;
        for (int t = 0; t < ys.length; t++) {
            m = beta * m + (1 - beta) * ys[t];
            power *= beta;
            out[t] = m / (1 - power);
        }
        return out;
    }

    /**
     * The decay for a curve of {@code n} points: time constant {@code tau = max(5, n / 100)}
     * points, {@code beta = 1 - 1/tau}, so the smoothing looks alike at any run length.
     */
    static double emaBeta(int n) {
        double tau = Math.max(MIN_EMA_SPAN, n * EMA_SHARE);
        return 1 - 1 / tau;
    }

    /**
     * A step count in at most five characters: {@code 950}, {@code 1.25k}, {@code 12k}, {@code
     * 250k}, {@code 1.5M}; two significant decimals at most, trailing zeros dropped.
     */
    static String compactStep(double step) {
        double a = Math.abs(step);
        DecimalFormat f = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        if (a < 1_000) {
            return f.format(step);
        }
        if (a < 1_000_000) {
            f.applyPattern(a < 10_000 ? "0.##" : a < 100_000 ? "0.#" : "0");
            return f.format(step / 1_000) + "k";
        }
        f.applyPattern(a < 10_000_000 ? "0.##" : a < 100_000_000 ? "0.#" : "0");
        return f.format(step / 1_000_000) + "M";
    }

    /** Bucket {@code b} of {@link #BUCKETS} over n points: indices [from(b), from(b + 1)). */
    private static int from(int b, int n) {
        return (int) ((long) b * n / BUCKETS);
    }

    /** The points, or per bucket its lowest and highest point in step order. */
    static double[][] envelope(double[] xs, double[] ys) {
        int n = xs.length;
        if (n <= BUCKETS) {
            return new double[][] {xs, ys};
        }
        double[] x = new double[2 * BUCKETS];
        double[] y = new double[2 * BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            int lo = from(b, n);
            int hi = lo;
            for (int i = from(b, n); i < from(b + 1, n); i++) {
                lo = ys[i] < ys[lo] ? i : lo;
                hi = ys[i] > ys[hi] ? i : hi;
            }
            int first = Math.min(lo, hi);
            int second = Math.max(lo, hi);
            x[2 * b] = xs[first];
            y[2 * b] = ys[first];
            x[2 * b + 1] = xs[second];
            y[2 * b + 1] = ys[second];
        }
        return new double[][] {x, y};
    }

    /** The points, or per bucket its last point. */
    static double[][] lastOfBuckets(double[] xs, double[] ys) {
        int n = xs.length;
        if (n <= BUCKETS) {
            return new double[][] {xs, ys};
        }
        double[] x = new double[BUCKETS];
        double[] y = new double[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            int last = from(b + 1, n) - 1;
            x[b] = xs[last];
            y[b] = ys[last];
        }
        return new double[][] {x, y};
    }

    /** The colour mixed 65% towards white, for the raw curve under its EMA. */
    private static Color lighter(Color c) {
        return new Color(mix(c.getRed()), mix(c.getGreen()), mix(c.getBlue()));
    }

    private static int mix(int v) {
        return (int) Math.round(v + 0.65 * (255 - v));
    }

    /** One panel of {@link #scatterPanels}: a title, the real points and the samples (x0, y0, x1, y1, ...). */
    public record ScatterPanel(String title, float[] real, float[] samples) {}

    /**
     * Writes 2-D samples over real data, one 400 x 400 scatter chart per panel, side by side in
     * rows of at most {@code columns}.
     */
    public static void scatterPanels(Path png, List<ScatterPanel> panels, int columns) throws IOException {
        if (panels.isEmpty()) {
            return;
        }
        int side = 400;
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * side, rows * side, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            ScatterPanel p = panels.get(i);
            XYChart chart = new XYChartBuilder()
                    .width(side)
                    .height(side)
                    .title(p.title())
                    .build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setMarkerSize(2);
            chart.getStyler().setLegendVisible(i == 0);
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
            // the real data's extent, padded by half: far-off samples of an early step fall outside
            double extent = 0;
            for (float v : p.real()) {
                extent = Math.max(extent, Math.abs(v));
            }
            extent = Math.max(1e-3, 1.5 * extent);
            chart.getStyler()
                    .setXAxisMin(-extent)
                    .setXAxisMax(extent)
                    .setYAxisMin(-extent)
                    .setYAxisMax(extent);
            addPoints(chart, "samples", p.samples(), COLOURS[0]);
            addPoints(chart, "real", p.real(), COLOURS[1]);
            g.drawImage(BitmapEncoder.getBufferedImage(chart), (i % cols) * side, (i / cols) * side, null);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(out, "png", png.toFile());
    }

    /** Ten well-separated colours (matplotlib's tab10) for class-coloured points. */
    private static final Color[] CLASS_COLOURS = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)
    };

    /**
     * Writes 2-D points (x0, y0, x1, y1, ...) coloured by class as one 800 x 700 scatter chart, with
     * a legend of {@code classNames} (a label without a name is drawn as its number).
     */
    public static void classScatter(Path png, String title, float[] points, int[] labels, List<String> classNames)
            throws IOException {
        if (points.length != 2 * labels.length) {
            throw new IllegalArgumentException(
                    "need 2 coordinates per label, got " + points.length + " for " + labels.length + " labels");
        }
        XYChart chart = new XYChartBuilder().width(800).height(700).title(title).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        int classes = 0;
        for (int y : labels) {
            classes = Math.max(classes, y + 1);
        }
        for (int c = 0; c < classes; c++) {
            int count = 0;
            for (int y : labels) {
                count += y == c ? 1 : 0;
            }
            if (count == 0) {
                continue;
            }
            float[] mine = new float[2 * count];
            int j = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    mine[j++] = points[2 * i];
                    mine[j++] = points[2 * i + 1];
                }
            }
            String name = c < classNames.size() ? classNames.get(c) : Integer.toString(c);
            addPoints(chart, name, mine, CLASS_COLOURS[c % CLASS_COLOURS.length]);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void addPoints(XYChart chart, String name, float[] points, Color colour) {
        int n = points.length / 2;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = points[2 * i];
            ys[i] = points[2 * i + 1];
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(colour);
    }
}
