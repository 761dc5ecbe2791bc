package dev.paperlab.models.reinforce;

import dev.paperlab.datasets.envs.DiscreteEnv;
import dev.paperlab.training.EvalContext;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.StepContext;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.TrainingTask;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * Trains a {@link ReinforceAgent} with the harness: one step collects {@code K} episodes and makes
 * one update; the step reports the environment steps it consumed ({@link #EXAMPLES}), so the
 * run's throughput is environment steps per second.
 *
 * <p>Tracks the running reward of pytorch/examples ({@code running = 0.05 x episode return + 0.95
 * x running}, from {@code initialRunning}) and the episode at which it first exceeds {@code
 * solvedAt}. The running-mean baseline, the environment's RNG and these counters are saved with
 * each checkpoint, so a resumed run continues exactly; action sampling uses the step's seeded RNG.
 */
public final class ReinforceTask implements TrainingTask {
    private final ReinforceConfig config;
    private final LongFunction<DiscreteEnv> envs;
    private final long updates;
    private final double solvedAt;
    private final double initialRunning;
    private DiscreteEnv env;
    private ReinforceAgent agent;
    private double running;
    private long episodes;
    private long solvedEpisode = -1;
    private final List<Double> episodeReturns = new ArrayList<>();

    /**
     * @param envs makes an environment from a seed (the training one from the run seed, evaluation
     *     ones from the evaluation RNG)
     * @param updates steps (updates) per epoch
     * @param solvedAt running reward above which the task counts as solved
     * @param initialRunning start of the running reward (10 in pytorch/examples)
     */
    public ReinforceTask(
            ReinforceConfig config,
            LongFunction<DiscreteEnv> envs,
            long updates,
            double solvedAt,
            double initialRunning) {
        if (updates < 1) {
            throw new IllegalArgumentException("updates per epoch must be >= 1, got " + updates);
        }
        this.config = config;
        this.envs = envs;
        this.updates = updates;
        this.solvedAt = solvedAt;
        this.initialRunning = initialRunning;
    }

    @Override
    public void setUp(RunConfig run) {
        env = envs.apply(run.seed());
        agent = ReinforceAgent.create(
                config, env.observationSize(), env.actionCount(), run.learningRate(), run.device());
        running = initialRunning;
    }

    public ReinforceAgent agent() {
        return agent;
    }

    public DiscreteEnv env() {
        return env;
    }

    /** Episode at which the running reward first exceeded the threshold, or -1. */
    public long solvedEpisode() {
        return solvedEpisode;
    }

    public double runningReward() {
        return running;
    }

    public long episodes() {
        return episodes;
    }

    /** The undiscounted return of every episode of this process (a resumed run: since the resume). */
    public List<Double> episodeReturns() {
        return List.copyOf(episodeReturns);
    }

    @Override
    public List<TrainedPart> parts() {
        return agent.parts();
    }

    @Override
    public long stepsPerEpoch() {
        return updates;
    }

    @Override
    public long examplesPerStep() {
        return config.episodesPerUpdate();
    }

    @Override
    public Map<String, Double> step(StepContext context) {
        agent.setRandom(context.random());
        agent.refresh(); // cheap (a thousand floats); also right after a checkpoint's parameters load
        List<Episode> batch = new ArrayList<>();
        long steps = 0;
        double sum = 0;
        for (int i = 0; i < config.episodesPerUpdate(); i++) {
            Episode e = agent.rollout(env, false);
            batch.add(e);
            steps += e.length();
            double r = e.total();
            sum += r;
            episodes++;
            episodeReturns.add(r);
            running = 0.05 * r + 0.95 * running;
            if (solvedEpisode < 0 && running > solvedAt) {
                solvedEpisode = episodes;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("reward", sum / batch.size());
        metrics.put("running_reward", running);
        metrics.putAll(agent.update(batch, context.scope()));
        metrics.put(EXAMPLES, (double) steps);
        return metrics;
    }

    /** The greedy policy's return and length on one episode of a fresh environment. */
    @Override
    public Map<String, Double> evaluate(EvalContext context) {
        try (DiscreteEnv e = envs.apply(context.random().nextLong())) {
            Episode greedy = agent.rollout(e, true);
            return Map.of("greedy_return", greedy.total(), "greedy_length", (double) greedy.length());
        }
    }

    @Override
    public void saveState(Path dir) throws IOException {
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(dir.resolve("reinforce.bin")))) {
            out.writeInt(1); // format
            out.writeObject(env.random()); // java.util.Random is Serializable, seed state included
            out.writeDouble(agent.runningMean());
            out.writeBoolean(agent.hasRunningMean());
            out.writeDouble(running);
            out.writeLong(episodes);
            out.writeLong(solvedEpisode);
        }
    }

    @Override
    public void loadState(Path dir) throws IOException {
        Path file = dir.resolve("reinforce.bin");
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
            int format = in.readInt();
            if (format != 1) {
                throw new IOException(file + ": unknown format " + format + ", expected 1");
            }
            env.setRandom((Random) in.readObject());
            double mean = in.readDouble();
            agent.setRunningMean(mean, in.readBoolean());
            running = in.readDouble();
            episodes = in.readLong();
            solvedEpisode = in.readLong();
        } catch (ClassNotFoundException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String dataSource() {
        return env.getClass().getSimpleName();
    }

    @Override
    public void close() {
        TrainingTask.super.close();
        if (env != null) {
            env.close();
        }
    }
}
