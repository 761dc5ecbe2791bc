package dev.paperlab.training.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcomes of a sweep and their tables: {@code results.csv} (one row per trial: its labels,
 * seed, status, seconds, error and metrics) and {@code results.md} (one row per grid point: the
 * metrics' mean ± 95% interval over the seeds that finished, {@link SeedStats}).
 *
 * @param sweep the sweep
 * @param outcomes one per trial, in sweep order
 */
public record SweepResults(Sweep sweep, List<SweepRunner.Outcome> outcomes) {

    /** Trials that failed. */
    public List<SweepRunner.Outcome> failures() {
        return outcomes.stream().filter(o -> !o.ok()).toList();
    }

    /** Grid points in sweep order, each with its outcomes over seeds. */
    public Map<String, List<SweepRunner.Outcome>> byPoint() {
        Map<String, List<SweepRunner.Outcome>> m = new LinkedHashMap<>();
        outcomes.forEach(o ->
                m.computeIfAbsent(o.trial().point(), k -> new ArrayList<>()).add(o));
        return m;
    }

    /** The metric over the finished seeds of one grid point, or null when none finished. */
    public SeedStats stats(String point, String metric) {
        double[] v = byPoint().getOrDefault(point, List.of()).stream()
                .filter(SweepRunner.Outcome::ok)
                .mapToDouble(o -> value(o.summary(), metric))
                .filter(x -> !Double.isNaN(x))
                .toArray();
        return v.length == 0 ? null : SeedStats.of(v);
    }

    /**
     * A summary value as a number: {@code key} may be a dotted path into nested objects ({@code
     * results.lm.val_loss}); NaN when absent or not a number.
     */
    public static double value(Map<String, Object> summary, String key) {
        Object v = summary;
        for (String part : key.split("\\.")) {
            if (!(v instanceof Map<?, ?> m) || !m.containsKey(part)) {
                v = summary.get(key); // a key that itself holds dots
                break;
            }
            v = m.get(part);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** Writes {@code results.csv} and {@code results.md} into {@code dir}. */
    public void write(Path dir, int digits) throws IOException {
        Files.createDirectories(dir);
        List<String> axes = outcomes.isEmpty()
                ? List.of()
                : new ArrayList<>(outcomes.get(0).trial().labels().keySet());
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(axes);
        header.addAll(List.of("seed", "status", "seconds"));
        header.addAll(sweep.metrics());
        header.add("error");
        csv.append(String.join(",", header)).append('\n');
        for (SweepRunner.Outcome o : outcomes) {
            List<String> row = new ArrayList<>();
            axes.forEach(a -> row.add(csvField(o.trial().labels().get(a))));
            row.add(Long.toString(o.trial().seed()));
            row.add(o.ok() ? "ok" : "failed");
            row.add(String.format(java.util.Locale.ROOT, "%.2f", o.seconds()));
            for (String m : sweep.metrics()) {
                double v = value(o.summary(), m);
                row.add(Double.isNaN(v) ? "" : Double.toString(v));
            }
            row.add(o.ok() ? "" : csvField(o.error()));
            csv.append(String.join(",", row)).append('\n');
        }
        Files.writeString(dir.resolve("results.csv"), csv);
        Files.writeString(dir.resolve("results.md"), markdown(digits));
    }

    /** One row per grid point: labels, finished/total seeds, each metric's mean ± 95% interval. */
    public String markdown(int digits) {
        List<String> axes = outcomes.isEmpty()
                ? List.of()
                : new ArrayList<>(outcomes.get(0).trial().labels().keySet());
        StringBuilder md = new StringBuilder("| ");
        axes.forEach(a -> md.append(a).append(" | "));
        md.append("seeds |");
        sweep.metrics().forEach(m -> md.append(' ').append(m).append(" |"));
        md.append("\n|");
        md.append("---|".repeat(axes.size() + 1 + sweep.metrics().size()));
        md.append('\n');
        for (Map.Entry<String, List<SweepRunner.Outcome>> e : byPoint().entrySet()) {
            Map<String, String> labels = e.getValue().get(0).trial().labels();
            md.append("| ");
            axes.forEach(a -> md.append(labels.get(a)).append(" | "));
            long ok = e.getValue().stream().filter(SweepRunner.Outcome::ok).count();
            md.append(ok).append('/').append(e.getValue().size()).append(" |");
            for (String m : sweep.metrics()) {
                SeedStats s = stats(e.getKey(), m);
                md.append(' ').append(s == null ? "—" : s.format(digits)).append(" |");
            }
            md.append('\n');
        }
        md.append("\nmean ± half-width of the 95% Student-t interval over the seeds that finished.\n");
        return md.toString();
    }

    private static String csvField(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n")
                ? '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"'
                : s;
    }
}
