package dev.paperlab.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import dev.paperlab.framework.nn.ConvGuard;
import dev.paperlab.framework.nn.IntraOpThreads;
import dev.paperlab.training.listeners.CheckpointListener;
import dev.paperlab.training.listeners.DivergenceGuard;
import dev.paperlab.training.listeners.MemoryListener;
import dev.paperlab.training.listeners.MetricsCsvListener;
import dev.paperlab.training.listeners.ProfileListener;
import dev.paperlab.training.listeners.ProgressListener;
import dev.paperlab.training.listeners.SummaryJsonListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop shared by every model. It owns the budget (epochs, steps), the seed, the
 * per-step memory scope, evaluation, listeners and resume; a {@link TrainingTask} owns the step.
 *
 * <p>Reproducibility: before step {@code s} the engine RNG is reseeded from {@code (seed, s)}
 * and the task gets a Java {@link Random} seeded the same way, so a run resumed from a
 * checkpoint at step {@code N} draws exactly what a straight run draws at step {@code N}.
 *
 * <p>Memory: each step runs inside a sub-manager of the primary trainer's manager that is closed
 * right after it, so only parameters and optimizer state outlive a step.
 *
 * <p>Parts: all parts must live on one device (checked at set-up). DJL's own {@link
 * TrainingListener} callbacks get the primary (first) part's trainer only; {@link RunListener}s
 * see every part through {@link RunState#parts()}.
 *
 * <p>Evaluation runs at the end of every epoch and, with {@link RunConfig#evalEvery()}, every
 * that many steps; before it the engine RNG is seeded from {@code (seed, step)} and the task
 * gets an {@link EvalContext} with a Java RNG seeded alike.
 */
public final class Harness {
    private static final Logger LOG = LoggerFactory.getLogger(Harness.class);
    private static final long EVAL_SALT = 0x6576616cL;
    private static final long MEMORY_EVERY = 100; // steps between resident-memory samples

    private final RunConfig config;
    private final List<TrainingListener> listeners;

    static {
        // before libtorch loads, when this class is the first to touch the engine (see ConvGuard)
        ConvGuard.configureBeforeEngineLoad();
    }

    private Harness(RunConfig config, List<TrainingListener> listeners) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
    }

    /** A harness with no listeners (tests add what they need). */
    public static Harness of(RunConfig config, TrainingListener... listeners) {
        return new Harness(config, List.of(listeners));
    }

    /**
     * The standard set: divergence guard (first, so a bad step is never checkpointed),
     * checkpoints, {@code metrics.csv}, {@code summary.json}, a console progress bar when {@link
     * RunConfig#progress()}, and the operator profile when {@link RunConfig#profileSteps()}.
     */
    public static Harness withDefaultListeners(RunConfig config, TrainingListener... extra) {
        List<TrainingListener> list = new ArrayList<>();
        list.add(new DivergenceGuard());
        list.add(new CheckpointListener(config.checkpointEvery()));
        list.add(new MetricsCsvListener(config.outDir().resolve("metrics.csv")));
        list.add(new MemoryListener(config.outDir().resolve("memory.csv"), MEMORY_EVERY));
        list.add(new SummaryJsonListener(config.outDir().resolve("summary.json")));
        if (config.progress()) {
            list.add(new ProgressListener());
        }
        if (config.profileSteps() > 0) {
            list.add(new ProfileListener(config.profileSteps()));
        }
        list.addAll(List.of(extra));
        return new Harness(config, list);
    }

    public RunConfig config() {
        return config;
    }

    /**
     * Runs {@code task} to its budget. The task is set up here but not closed: the caller owns it
     * (and may sample from its models afterwards).
     *
     * @return the final state (metrics, summary, throughput)
     * @throws DivergenceException when a metric or parameter became non-finite
     */
    public RunState fit(TrainingTask task) {
        ConvGuard.ensureCorrectGradients(); // once per process; leaves the engine RNG alone
        Engine.getInstance().setRandomSeed(seedFor(config.seed(), -1));
        task.setUp(config);
        List<TrainedPart> parts = task.parts();
        if (parts.isEmpty()) {
            throw new IllegalStateException(task.getClass().getSimpleName() + " trains no parts");
        }
        long stepsPerEpoch = task.stepsPerEpoch();
        if (stepsPerEpoch < 1) {
            throw new IllegalStateException(
                    task.getClass().getSimpleName() + " has " + stepsPerEpoch + " steps per epoch");
        }
        requireOneDevice(parts);
        int threadsBefore = config.threads() > 0 ? IntraOpThreads.current() : -1;
        boolean threadsChanged =
                threadsBefore > 0 && threadsBefore != config.threads() && IntraOpThreads.set(config.threads());
        try {
            return train(task, parts, stepsPerEpoch);
        } finally {
            if (threadsChanged) {
                IntraOpThreads.set(threadsBefore);
            }
        }
    }

    private RunState train(TrainingTask task, List<TrainedPart> parts, long stepsPerEpoch) {
        RunState state = new RunState(config, task, parts, stepsPerEpoch, task.examplesPerStep());
        state.summary().put("seed", config.seed());
        state.summary().put("device", config.device().toString());
        state.summary().put("threads", IntraOpThreads.current());
        state.summary().put("data_source", task.dataSource());
        long start = config.resume() ? restore(state) : 0;
        state.beginAt(start, (int) (start / stepsPerEpoch));
        Trainer primary = parts.get(0).trainer();

        notifyAll(l -> l.onTrainingBegin(primary), l -> l.onRunBegin(state));
        try {
            // The planned steps end inside the last epoch at the latest, so this loop always
            // ends with an evaluation; a run resumed at its very end just evaluates.
            int epoch = (int) Math.min(start / stepsPerEpoch, (state.plannedSteps() - 1) / stepsPerEpoch);
            while (true) {
                state.setEpoch(epoch);
                long first = state.step() - epoch * stepsPerEpoch;
                task.startEpoch(epoch, first);
                for (long i = first; i < stepsPerEpoch && state.step() < state.plannedSteps(); i++) {
                    runStep(task, state, primary, epoch, i);
                    boolean epochEvaluationNext = i + 1 == stepsPerEpoch || state.step() >= state.plannedSteps();
                    if (config.evalEvery() > 0 && state.step() % config.evalEvery() == 0 && !epochEvaluationNext) {
                        evaluate(task, state, primary, epoch);
                    }
                }
                evaluate(task, state, primary, epoch);
                notifyAll(l -> l.onEpoch(primary), null);
                if (state.step() >= state.plannedSteps()) {
                    break;
                }
                epoch++;
            }
        } catch (RuntimeException | Error e) {
            state.setFailure(e);
            throw e;
        } finally {
            notifyAll(l -> l.onTrainingEnd(primary), l -> l.onRunEnd(state));
        }
        return state;
    }

    private void runStep(TrainingTask task, RunState state, Trainer primary, int epoch, long i) {
        long step = state.step();
        Engine.getInstance().setRandomSeed(seedFor(config.seed(), step));
        if (!task.zeroesOwnGradients()) {
            for (TrainedPart part : state.parts()) {
                Gradients.zero(part.model().getBlock());
            }
        }
        long begin = System.nanoTime();
        Map<String, Double> metrics;
        try (NDManager scope = primary.getManager().newSubManager()) {
            Random random = new Random(seedFor(config.seed(), step));
            metrics = task.step(new StepContext(step, epoch, i, scope, random));
        }
        state.completeStep(metrics, System.nanoTime() - begin);
        notifyAll(null, l -> l.onStep(state));
    }

    private void evaluate(TrainingTask task, RunState state, Trainer primary, int epoch) {
        long step = state.step();
        Engine.getInstance().setRandomSeed(seedFor(config.seed() ^ EVAL_SALT, step));
        try (NDManager scope = primary.getManager().newSubManager()) {
            Random random = new Random(seedFor(config.seed() ^ EVAL_SALT, step));
            Map<String, Double> metrics = task.evaluate(new EvalContext(step, epoch, scope, random));
            if (!metrics.isEmpty()) {
                state.setEvalMetrics(metrics);
                notifyAll(null, l -> l.onEvaluation(state));
            }
        }
    }

    /**
     * The step scope hangs under the primary part's manager and parameters are updated where they
     * live, so parts on different devices would mix devices inside one step: refused here.
     */
    private static void requireOneDevice(List<TrainedPart> parts) {
        Device first = parts.get(0).device();
        for (TrainedPart part : parts) {
            if (!part.device().equals(first)) {
                StringBuilder sb = new StringBuilder();
                for (TrainedPart p : parts) {
                    sb.append(sb.length() == 0 ? "" : ", ")
                            .append('\'')
                            .append(p.name())
                            .append("' on ")
                            .append(p.device());
                }
                throw new IllegalArgumentException("all parts must be on one device, but parts are " + sb
                        + "; create every part with the run's device (RunConfig.device())");
            }
        }
    }

    private long restore(RunState state) {
        Path out = config.outDir();
        try {
            Path dir = Checkpoints.latest(out);
            if (dir == null) {
                throw new IllegalArgumentException(
                        "--resume given but there is no checkpoint under " + Checkpoints.root(out));
            }
            long step = Checkpoints.load(dir, state);
            state.setLastCheckpoint(dir);
            LOG.info("Resumed from {} at step {}", dir, step);
            return step;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + Checkpoints.root(out), e);
        }
    }

    private void notifyAll(Consumer<TrainingListener> djl, Consumer<RunListener> run) {
        for (TrainingListener listener : listeners) {
            if (djl != null) {
                djl.accept(listener);
            }
            if (run != null && listener instanceof RunListener runListener) {
                run.accept(runListener);
            }
        }
    }

    /** Seed for step {@code step} of a run seeded {@code seed} (SplitMix64 finaliser). */
    static int seedFor(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 0x7fffffff);
    }
}
