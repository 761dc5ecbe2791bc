package dev.paperlab.training.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link Sweep}: each trial in its own child process (up to {@code parallel} at once) with
 * {@code --out <out>/trials/<id>}, its output in {@code log.txt} there and its outcome in {@code
 * trial.json}. A trial that ends with a non-zero exit code or without a {@code summary.json} is
 * recorded as failed, with the last {@code error:} line of its log, and the sweep goes on. Run
 * again, the runner skips every trial whose {@code trial.json} says it finished with the same
 * arguments, so an interrupted sweep resumes where it stopped (failed trials run again).
 * {@link SweepResults#write} then collects {@code results.csv} and {@code results.md}.
 */
public final class SweepRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Starts the process of one trial; its output goes to {@code log}. */
    @FunctionalInterface
    public interface Launcher {
        Process start(List<String> args, Path log) throws IOException;
    }

    /**
     * What became of one trial.
     *
     * @param trial the trial
     * @param dir its folder
     * @param ok whether it finished and wrote {@code summary.json}
     * @param reused whether a finished earlier run was kept instead of running it again
     * @param seconds wall time of its process
     * @param error the failure's message (null when ok)
     * @param summary its {@code summary.json} (empty when it failed)
     */
    public record Outcome(
            Trial trial,
            Path dir,
            boolean ok,
            boolean reused,
            double seconds,
            String error,
            Map<String, Object> summary) {}

    private final Path out;
    private final Launcher launcher;
    private final int parallel;
    private final long timeoutSeconds;

    /**
     * @param out sweep folder
     * @param launcher how a trial's process starts (see {@link #java})
     * @param parallel trials at once, at least 1
     * @param timeoutSeconds wall-clock limit per trial; 0 = none
     */
    public SweepRunner(Path out, Launcher launcher, int parallel, long timeoutSeconds) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be >= 1, got " + parallel);
        }
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("timeout must be >= 0 seconds (0 = none), got " + timeoutSeconds);
        }
        this.out = out;
        this.launcher = launcher;
        this.parallel = parallel;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Runs (or resumes) every trial of {@code sweep} and returns their outcomes in sweep order. */
    public SweepResults run(Sweep sweep) {
        List<Trial> trials = sweep.trials();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Trial t : trials) {
                futures.add(pool.submit(() -> {
                    Outcome o = runOne(t);
                    synchronized (System.out) {
                        System.out.printf(
                                Locale.ROOT,
                                "[%d/%d] %s  %s%s%n",
                                done.incrementAndGet(),
                                trials.size(),
                                t.id(),
                                o.ok() ? (o.reused() ? "done before" : "ok") : "FAILED: " + o.error(),
                                o.reused() ? "" : String.format(Locale.ROOT, " (%.1f s)", o.seconds()));
                    }
                    return o;
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return new SweepResults(sweep, outcomes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("sweep runner failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked") // JSON objects read as maps
    private Outcome runOne(Trial trial) throws IOException, InterruptedException {
        Path dir = out.resolve("trials").resolve(trial.id());
        List<String> args = new ArrayList<>(trial.arguments());
        args.add("--out");
        args.add(dir.toString());
        Path record = dir.resolve("trial.json");
        Path summaryFile = dir.resolve("summary.json");
        if (Files.isRegularFile(record) && Files.isRegularFile(summaryFile)) {
            Map<String, Object> before = JSON.readValue(record.toFile(), Map.class);
            if (Boolean.TRUE.equals(before.get("ok")) && sameRun(args, before.get("args"))) {
                return new Outcome(
                        trial,
                        dir,
                        true,
                        true,
                        ((Number) before.get("seconds")).doubleValue(),
                        null,
                        JSON.readValue(summaryFile.toFile(), Map.class));
            }
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(record);
        Files.deleteIfExists(summaryFile); // a stale summary must not pass for this run's
        Path log = dir.resolve("log.txt");
        long start = System.nanoTime();
        String error = null;
        Process p = null;
        try {
            p = launcher.start(args, log);
            boolean finished = timeoutSeconds == 0 ? waitFor(p) : p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor();
                error = "timed out after " + timeoutSeconds + " s";
            } else if (p.exitValue() != 0) {
                error = "exit code " + p.exitValue() + ": " + lastError(log);
            } else if (!Files.isRegularFile(summaryFile)) {
                error = "no summary.json written: " + lastError(log);
            }
        } catch (IOException e) {
            error = "cannot start: " + e.getMessage();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> summary = error == null ? JSON.readValue(summaryFile.toFile(), Map.class) : Map.of();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", error == null);
        r.put("args", args);
        r.put("seed", trial.seed());
        r.put("labels", trial.labels());
        r.put("seconds", Math.round(seconds * 1000) / 1000.0);
        r.put("error", error);
        JSON.writerWithDefaultPrettyPrinter().writeValue(record.toFile(), r);
        return new Outcome(trial, dir, error == null, false, seconds, error, summary);
    }

    /**
     * Whether a recorded run had the same arguments, ignoring the trailing {@code --out DIR}: the
     * same sweep folder reached as {@code runs/x}, {@code ./runs/x} or an absolute path is one run.
     */
    static boolean sameRun(List<String> args, Object recorded) {
        if (!(recorded instanceof List<?> before) || before.size() != args.size() || args.size() < 2) {
            return false;
        }
        int n = args.size() - 2;
        return args.subList(0, n).equals(before.subList(0, n)) && "--out".equals(before.get(n));
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }

    /** The last {@code error: ...} line of the log, else its last non-blank line. */
    static String lastError(Path log) {
        try {
            if (!Files.isRegularFile(log)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
            String last = "(no output)";
            String error = null;
            for (String line : lines) {
                if (!line.isBlank()) {
                    last = line.strip();
                }
                if (line.startsWith("error:")) {
                    error = line.substring("error:".length()).strip();
                }
            }
            return error != null ? error : last;
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Runs {@code mainClass} in a fresh JVM on this process's class path (also when this process
     * runs inside a build tool's class loader), with the same {@code java}, the given JVM options
     * and environment variables added to this process's; output goes to the log.
     */
    public static Launcher java(String mainClass, List<String> jvmOptions, Map<String, String> environment) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = classPath();
        return (args, log) -> {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(mainClass);
            cmd.addAll(args);
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(environment);
            return pb.start();
        };
    }

    /** This process's class path: every URL class loader's entries, then {@code java.class.path}. */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a local file: a child JVM could not use it either
                    }
                }
            }
        }
        entries.addAll(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        entries.remove("");
        return String.join(File.pathSeparator, entries);
    }
}
