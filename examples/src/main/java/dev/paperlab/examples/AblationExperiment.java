package dev.paperlab.examples;

import dev.paperlab.training.experiments.SeedStats;
import dev.paperlab.training.experiments.Sweep;
import dev.paperlab.training.experiments.SweepResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * Ablations of the Transformer's choices (Vaswani et al. 2017, Table 3 asks the same of heads and
 * positions): one char-level LM baseline and variants that each change one thing — heads, key/value
 * heads, positions (learned, sinusoidal, rotary), pre- against post-norm, depth against width at the same non-embedding parameters — over several
 * seeds, with Welch's 95% interval of each variant's difference from the baseline, so a difference
 * counts only where it exceeds seed noise.
 */
@Command(
        name = "ablation",
        mixinStandardHelpOptions = true,
        description = "Ablations of the LM (heads, kv heads, positions, pre/post-norm, depth vs width at fixed"
                + " parameters)"
                + " over seeds; which differences exceed seed noise.")
public final class AblationExperiment extends ExperimentCommand.Sub {
    static final List<String> METRICS = List.of("val_loss", "non_embedding_parameters", "train_seconds");

    @Override
    String name() {
        return "ablation";
    }

    /** Each variant: a name and the options it changes from the baseline (2 layers, d 64, 4 heads, learned). */
    static List<Map<String, String>> variants() {
        return List.of(
                Map.of("name", "baseline"),
                Map.of("name", "heads-1", "--heads", "1"),
                Map.of("name", "heads-8", "--heads", "8"),
                Map.of("name", "mqa", "--kv-heads", "1"),
                Map.of("name", "rope", "--position", "rope"),
                Map.of("name", "sinusoidal", "--position", "sinusoidal"),
                Map.of("name", "post-norm", "--post-norm", "true"),
                Map.of("name", "deep-narrow", "--layers", "8", "--d-model", "32"));
    }

    Sweep sweep() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--layers", "2");
        options.put("--d-model", "64");
        options.put("--heads", "4");
        options.put("--context", "64");
        options.put("--batch-size", "16");
        options.put("--lr", "1e-3");
        options.put("--steps", quick ? "200" : "1500");
        options.put("--sample-tokens", "0");
        options.put("--no-progress", "true");
        return new Sweep(
                "ablation",
                List.of("lm"),
                options,
                Map.of("variant", variants()),
                quick ? List.of(1L, 2L, 3L) : List.of(1L, 2L, 3L, 4L, 5L),
                METRICS);
    }

    @Override
    public Map<String, Object> runExample() throws Exception {
        long start = System.nanoTime();
        Path dir = outDir();
        SweepResults results = run(sweep(), dir);
        Map<String, Object> s = summary(results, start);
        SeedStats base = results.stats("variant=baseline", "val_loss");
        StringBuilder md = new StringBuilder(
                "| variant | val loss | minus baseline (Welch 95%) | beyond seed noise |\n|---|---|---|---|\n");
        Map<String, Object> differences = new LinkedHashMap<>();
        for (Map<String, String> v : variants()) {
            String point = "variant=" + v.get("name");
            SeedStats st = results.stats(point, "val_loss");
            if (st == null || base == null) {
                md.append("| ").append(v.get("name")).append(" | — | — | — |\n");
                continue;
            }
            double[] d = SeedStats.difference(base, st);
            boolean beyond = !Double.isNaN(d[1]) && Math.abs(d[0]) > d[1];
            differences.put(
                    v.get("name"),
                    Map.of("val_loss", st.mean(), "difference", d[0], "half_width_95", d[1], "beyond_noise", beyond));
            boolean baseline = v.get("name").equals("baseline");
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s |%n",
                    v.get("name"),
                    st.format(4),
                    baseline ? "—" : String.format(Locale.ROOT, "%+.4f ± %.4f", d[0], d[1]),
                    baseline ? "—" : beyond ? "yes" : "no"));
        }
        s.put("variants", differences);
        Files.writeString(dir.resolve("ablation.md"), md);
        System.out.print(md);
        return finish(s);
    }
}
