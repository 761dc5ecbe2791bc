package dev.paperlab.examples;

import dev.paperlab.examples.derive.Derivation;
import dev.paperlab.examples.derive.Derivations;
import dev.paperlab.training.listeners.SummaryJsonListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks the canon's mathematics (#13-#24) numerically: for each result prints the claim, the
 * analytic and the measured value and PASS/FAIL, writes its PNGs and {@code summary.json} with
 * one entry per number. The derivations are in {@code docs/derivations.md}.
 */
@Command(
        name = "derive",
        mixinStandardHelpOptions = true,
        description = "Check every derivation of the canon (#13-#24) numerically.")
public final class DeriveCommand extends ExampleCommand {
    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", description = "Output folder (default: runs/derive).")
    Path out;

    @Option(names = "--only", split = ",", description = "Only these problems, e.g. 14,19 (default: all of 13-24).")
    List<String> only;

    @Override
    public Map<String, Object> runExample() throws Exception {
        Path dir = out != null ? out : Path.of("runs", "derive");
        Map<String, BiFunction<Path, Long, Derivation>> all = Derivations.all();
        List<String> chosen = new ArrayList<>();
        if (only == null || only.isEmpty()) {
            chosen.addAll(all.keySet());
        } else {
            for (String s : only) {
                String key = s.trim().replaceFirst("^#", "");
                if (!all.containsKey(key)) {
                    throw new IllegalArgumentException(
                            "--only: no check for '" + s + "', expected some of " + all.keySet());
                }
                chosen.add(key);
            }
        }
        Files.createDirectories(dir);
        long start = System.nanoTime();
        Map<String, Object> results = new LinkedHashMap<>();
        int failed = 0;
        for (String key : chosen) {
            long t0 = System.nanoTime();
            Derivation d = all.get(key).apply(dir, seed);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "#%s %s [%s, %.1f s]%n  claim:    %s%n  analytic: %s%n  measured: %s%n",
                    d.number(),
                    d.title(),
                    d.pass() ? "PASS" : "FAIL",
                    secs,
                    d.claim(),
                    d.analytic(),
                    d.measured());
            Map<String, Object> entry = d.toMap();
            entry.put("seconds", secs);
            results.put(key, entry);
            failed += d.pass() ? 0 : 1;
        }
        Map<String, Object> sorted = new java.util.TreeMap<>(results);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "derive");
        summary.put("seed", seed);
        summary.put("checked", chosen.size());
        summary.put("failed", failed);
        summary.put("status", failed == 0 ? "PASS" : "FAIL");
        summary.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        summary.put("results", sorted);
        SummaryJsonListener.write(dir.resolve("summary.json"), summary);
        return summary;
    }
}
