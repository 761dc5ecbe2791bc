package dev.paperlab.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paperlab.training.experiments.Sweep;
import dev.paperlab.training.experiments.SweepResults;
import dev.paperlab.training.experiments.SweepRunner;
import dev.paperlab.training.listeners.SummaryJsonListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Research questions as rerunnable experiments: each subcommand is a sweep of real training runs
 * (each trial one child JVM running one of the commands, {@link SweepRunner}), then an analysis
 * written beside {@code results.csv} and {@code results.md}: {@code scaling} (Hoffmann et al.
 * 2022), {@code calibration} (Guo et al. 2017), {@code ablation} (Vaswani et al. 2017), and {@code
 * sweep FILE} for any sweep file. Rerun with the same {@code --out}, a sweep resumes.
 */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = "Sweeps of real training runs answering research questions: scaling, calibration,"
                + " ablation, or any sweep FILE.",
        subcommands = {
            ScalingExperiment.class,
            CalibrationExperiment.class,
            AblationExperiment.class,
            ExperimentCommand.SweepFile.class
        })
public final class ExperimentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "choose a subcommand: scaling, calibration, ablation or sweep");
    }

    /** Options of every experiment: output folder, size, parallelism. */
    abstract static class Sub extends ExampleCommand {
        @Option(names = "--out", description = "Output folder (default: runs/experiment-<name>).")
        Path out;

        @Option(names = "--quick", description = "The small version: a few minutes on a laptop CPU.")
        boolean quick;

        @Option(names = "--parallel", description = "Trials at once, each in its own JVM (default: ${DEFAULT-VALUE}).")
        int parallel = 2;

        @Option(
                names = "--trial-timeout",
                description = "Seconds before a trial is stopped and recorded as failed; 0 = none"
                        + " (default: ${DEFAULT-VALUE}).")
        long trialTimeout = 3600;

        abstract String name();

        Path outDir() {
            return out != null ? out : Path.of("runs", "experiment-" + name());
        }

        /**
         * Writes {@code sweep.json} into {@code dir}, runs or resumes the sweep there and writes its
         * tables. Each child gets {@code OMP_NUM_THREADS = cores / parallel} unless it is set.
         */
        SweepResults run(Sweep sweep, Path dir) throws IOException {
            if (parallel < 1) {
                throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
            }
            if (trialTimeout < 0) {
                throw new IllegalArgumentException("--trial-timeout must be >= 0 (0 = none), got " + trialTimeout);
            }
            Files.createDirectories(dir);
            new ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve("sweep.json").toFile(), sweep.toJson());
            Map<String, String> env = new LinkedHashMap<>();
            if (System.getenv("OMP_NUM_THREADS") == null) {
                env.put(
                        "OMP_NUM_THREADS",
                        Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / parallel)));
            }
            if (System.getenv("OMP_WAIT_POLICY") == null) {
                env.put("OMP_WAIT_POLICY", "PASSIVE");
            }
            SweepRunner runner = new SweepRunner(
                    dir, SweepRunner.java(Main.class.getName(), List.of(), env), parallel, trialTimeout);
            System.out.println(
                    "== sweep " + sweep.name() + ": " + sweep.trials().size() + " trials into " + dir);
            SweepResults results = runner.run(sweep);
            results.write(dir, 4);
            return results;
        }

        /** The common head of a summary. */
        Map<String, Object> summary(SweepResults results, long startNanos) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("command", "experiment " + name());
            s.put("quick", quick);
            s.put("trials", results.outcomes().size());
            s.put("failed", results.failures().size());
            s.put(
                    "failures",
                    results.failures().stream()
                            .map(o -> o.trial().id() + ": " + o.error())
                            .toList());
            s.put("wall_seconds", (System.nanoTime() - startNanos) / 1e9); // this invocation only
            // the trials' own time, also those a resumed invocation kept
            s.put(
                    "trial_seconds",
                    results.outcomes().stream()
                            .mapToDouble(SweepRunner.Outcome::seconds)
                            .sum());
            return s;
        }

        Map<String, Object> finish(Map<String, Object> summary) {
            SummaryJsonListener.write(outDir().resolve("summary.json"), summary);
            return summary;
        }
    }

    /** Runs any sweep file. */
    @Command(name = "sweep", mixinStandardHelpOptions = true, description = "Run or resume the sweep in FILE.")
    public static final class SweepFile extends Sub {
        @Parameters(index = "0", paramLabel = "FILE", description = "Sweep file (JSON; see docs/experiments.md).")
        Path file;

        @Override
        String name() {
            return "sweep";
        }

        @Override
        Path outDir() {
            return out != null
                    ? out
                    : Path.of("runs", "sweep-" + file.getFileName().toString().replaceFirst("\\.json$", ""));
        }

        @Override
        public Map<String, Object> runExample() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("sweep file " + file + " does not exist");
            }
            long start = System.nanoTime();
            SweepResults results = run(Sweep.read(file), outDir());
            System.out.println(results.markdown(4));
            return finish(summary(results, start));
        }
    }
}
