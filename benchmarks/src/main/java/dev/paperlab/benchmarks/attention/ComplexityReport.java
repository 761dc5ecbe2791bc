package dev.paperlab.benchmarks.attention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Time and extra peak memory of attention forward + backward against the sequence length T, from
 * the CSV written by {@code benchmarks/scripts/attention_memory.sh}; fits the log-log slope p of
 * {@code y ~ c T^p} by least squares and draws both on log-log axes.
 *
 * <p>Exact attention does O(T^2 D) work whatever the kernel, so both time slopes should approach
 * 2; the naive kernel stores the (T, T) weights (memory slope 2), the flash kernel only O(T D)
 * (slope 1). Extra memory = peak resident set of the run minus that of the baseline process with
 * the same inputs, for one pass alone ("one pass") and after several ("steady", which adds what
 * the C allocator keeps between passes).
 *
 * <p>Usage: {@code ComplexityReport results.csv plot.png [fitFrom=1024]}; CSV columns
 * {@code label,T,H,block,ms,peak_kb,baseline_kb,steady_peak_kb}. Prints Markdown tables.
 */
public final class ComplexityReport {

    private ComplexityReport() {}

    /** One measured configuration. */
    private record Row(String label, long t, long h, double ms, double extraMib, double steadyMib) {}

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args[0]);
        String png = args[1];
        long fitFrom = args.length > 2 ? Long.parseLong(args[2]) : 1024;
        Map<String, TreeMap<Long, Row>> series = new LinkedHashMap<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank() || line.startsWith("label")) {
                continue;
            }
            String[] f = line.split(",");
            double extra = (Double.parseDouble(f[5]) - Double.parseDouble(f[6])) / 1024.0;
            double steady = (Double.parseDouble(f[7]) - Double.parseDouble(f[6])) / 1024.0;
            Row r = new Row(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[4]), extra, steady);
            series.computeIfAbsent(r.label(), k -> new TreeMap<>()).put(r.t(), r);
        }
        printTable(series);
        printSlopes(series, fitFrom);
        plot(series, png);
    }

    private static void printTable(Map<String, TreeMap<Long, Row>> series) {
        System.out.println("| series | T | H | fwd+bwd ms | extra peak MiB, one pass"
                + " | extra peak MiB, steady | time / naive | memory / naive (one pass) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        TreeMap<Long, Row> naive = series.getOrDefault("naive", new TreeMap<>());
        for (TreeMap<Long, Row> s : series.values()) {
            for (Row r : s.values()) {
                Row n = naive.get(r.t());
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %d | %.1f | %.1f | %.1f | %s | %s |%n",
                        r.label(),
                        r.t(),
                        r.h(),
                        r.ms(),
                        r.extraMib(),
                        r.steadyMib(),
                        n == null ? "" : String.format(Locale.ROOT, "%.2f", r.ms() / n.ms()),
                        n == null ? "" : String.format(Locale.ROOT, "1/%.1f", n.extraMib() / r.extraMib()));
            }
        }
        System.out.println();
    }

    private static void printSlopes(Map<String, TreeMap<Long, Row>> series, long fitFrom) {
        System.out.printf(
                "| series | time slope (all T) | time slope (T >= %d) | memory slope (all T)"
                        + " | memory slope (T >= %d) |%n",
                fitFrom, fitFrom);
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, TreeMap<Long, Row>> e : series.entrySet()) {
            if (e.getValue().size() < 3) {
                continue; // single configurations are not a sweep
            }
            List<Row> all = new ArrayList<>(e.getValue().values());
            List<Row> large = all.stream().filter(r -> r.t() >= fitFrom).toList();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %.2f |%n",
                    e.getKey(),
                    slope(all, false),
                    slope(large, false),
                    slope(all, true),
                    slope(large, true));
        }
        System.out.println();
    }

    /**
     * Least-squares slope of log y on log T: p = cov(log T, log y) / var(log T). Rows whose
     * extra memory is not positive (below the baseline's noise) are left out of memory fits.
     */
    static double slope(List<Row> rows, boolean memory) {
        List<double[]> pts = new ArrayList<>();
        for (Row r : rows) {
            double y = memory ? r.extraMib() : r.ms();
            if (y > 0) {
                pts.add(new double[] {Math.log(r.t()), Math.log(y)});
            }
        }
        return slope(pts);
    }

    static double slope(List<double[]> pts) {
        if (pts.size() < 2) {
            return Double.NaN;
        }
        double mx = pts.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = pts.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double cov = 0;
        double var = 0;
        for (double[] p : pts) {
            cov += (p[0] - mx) * (p[1] - my);
            var += (p[0] - mx) * (p[0] - mx);
        }
        return cov / var;
    }

    private static void plot(Map<String, TreeMap<Long, Row>> series, String png) throws IOException {
        XYChart time = chart("forward + backward time", "ms");
        XYChart memory = chart("extra peak memory (RSS minus baseline)", "MiB");
        for (Map.Entry<String, TreeMap<Long, Row>> e : series.entrySet()) {
            if (e.getValue().size() < 3) {
                continue;
            }
            List<Row> rows = new ArrayList<>(e.getValue().values());
            List<Row> positive = rows.stream().filter(r -> r.extraMib() > 0).toList();
            add(time, e.getKey(), rows, Row::ms);
            add(memory, e.getKey(), positive, Row::extraMib);
        }
        // guides: T^2 through the last naive point, T through the last flash point
        TreeMap<Long, Row> naive = series.get("naive");
        if (naive != null) {
            Row last = naive.lastEntry().getValue();
            guide(time, "~ T^2", naive.firstKey(), last.t(), last.ms(), 2);
            guide(memory, "~ T^2", naive.firstKey(), last.t(), last.extraMib(), 2);
        }
        TreeMap<Long, Row> flash = series.get("flash");
        if (flash != null) {
            Row last = flash.lastEntry().getValue();
            guide(memory, "~ T", flash.firstKey(), last.t(), last.extraMib(), 1);
        }
        BitmapEncoder.saveBitmap(List.of(time, memory), 1, 2, png, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String unit) {
        XYChart c = new XYChartBuilder()
                .width(560)
                .height(420)
                .title(title)
                .xAxisTitle("sequence length T")
                .yAxisTitle(unit)
                .build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        return c;
    }

    private static void add(XYChart c, String name, List<Row> rows, java.util.function.ToDoubleFunction<Row> y) {
        if (rows.isEmpty()) {
            return;
        }
        double[] xs = rows.stream().mapToDouble(Row::t).toArray();
        double[] ys = rows.stream().mapToDouble(y).toArray();
        c.addSeries(name, xs, ys);
    }

    /** A dashed line c T^p through (tEnd, yEnd). */
    private static void guide(XYChart c, String name, long t0, long tEnd, double yEnd, int p) {
        double y0 = yEnd * Math.pow((double) t0 / tEnd, p);
        XYSeries s = c.addSeries(name, new double[] {t0, tEnd}, new double[] {y0, yEnd});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(new java.awt.BasicStroke(
                1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
    }
}
