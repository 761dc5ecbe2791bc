package dev.paperlab.examples;

import ai.djl.ndarray.NDManager;
import dev.paperlab.datasets.envs.CartPole;
import dev.paperlab.datasets.envs.DiscreteEnv;
import dev.paperlab.datasets.envs.GridWorld;
import dev.paperlab.models.reinforce.Baseline;
import dev.paperlab.models.reinforce.GradientStudy;
import dev.paperlab.models.reinforce.ReinforceConfig;
import dev.paperlab.models.reinforce.ReinforceTask;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains REINFORCE (Williams 1992) with a baseline on CartPole-v1 or a grid world, reports the
 * episode at which it is solved, and measures how much the baseline lowers the gradient's
 * variance at the final policy ({@link GradientStudy}).
 */
@Command(
        name = "reinforce",
        mixinStandardHelpOptions = true,
        description = "REINFORCE policy gradients with baselines on CartPole-v1 or a grid world."
                + " --batch-size is the number of episodes per update.")
public final class ReinforceCommand extends ExampleCommand {
    /** The environments. */
    public enum Env {
        CARTPOLE,
        GRIDWORLD;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Mixin
    CommonOptions common;

    @Option(names = "--env", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Env env = Env.CARTPOLE;

    @Option(names = "--baseline", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Baseline baseline = Baseline.VALUE;

    @Option(names = "--episodes", description = "Episodes to train for (default: ${DEFAULT-VALUE}).")
    int episodes = 1000;

    @Option(names = "--gamma", description = "Discount in [0, 1] (default: ${DEFAULT-VALUE}).")
    double gamma = 0.99;

    @Option(names = "--entropy", description = "Weight of the entropy bonus (default: ${DEFAULT-VALUE}).")
    double entropy;

    @Option(names = "--no-normalise", description = "Use the advantages as they are (default: normalised).")
    boolean noNormalise;

    @Option(names = "--hidden", description = "Hidden units of the policy and value MLPs (default: ${DEFAULT-VALUE}).")
    int hidden = 128;

    @Option(
            names = "--slip",
            description = "Grid world: probability that a move is random (default: ${DEFAULT-VALUE}).")
    double slip;

    @Option(
            names = "--study-estimates",
            description = "Gradient estimates per baseline for gradient_variance_ratio; 0 = skip"
                    + " (default: ${DEFAULT-VALUE}).")
    int studyEstimates = 30;

    @Option(
            names = "--study-seeds",
            description = "Also train every baseline on seeds 1..N and write baselines.png (running reward, mean"
                    + " +- std) and, at a fixed policy, each baseline's variance ratio and bias; 0 = skip"
                    + " (default: ${DEFAULT-VALUE}).")
    int studySeeds;

    @Override
    public Map<String, Object> runExample() throws Exception {
        RunConfig config = common.toConfig("reinforce", 2, 1e-2f);
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        if (studySeeds < 0) {
            throw new IllegalArgumentException("--study-seeds must be >= 0, got " + studySeeds);
        }
        if (studyEstimates == 1 || studyEstimates < 0) {
            throw new IllegalArgumentException("--study-estimates must be 0 or >= 2, got " + studyEstimates);
        }
        int k = config.batchSize();
        ReinforceConfig rc = ReinforceConfig.builder()
                .optGamma(gamma)
                .optBaseline(baseline)
                .optEpisodesPerUpdate(k)
                .optNormalise(!noNormalise)
                .optEntropy(entropy)
                .optHidden(hidden)
                .build();
        LongFunction<DiscreteEnv> envs;
        double solvedAt;
        double initialRunning;
        if (env == Env.CARTPOLE) {
            envs = seed -> new CartPole(NDManager.newBaseManager(), seed);
            solvedAt = CartPole.SOLVED_RETURN;
            initialRunning = 10; // pytorch/examples' start
        } else {
            int maxSteps = 50;
            int optimal;
            try (GridWorld probe =
                    new GridWorld(NDManager.newBaseManager(), GridWorld.defaultMap(), slip, maxSteps, 0)) {
                optimal = probe.optimalSteps();
            }
            envs = seed -> new GridWorld(NDManager.newBaseManager(), GridWorld.defaultMap(), slip, maxSteps, seed);
            // solved: within 90% of the optimal path's return
            solvedAt = 0.9 * (GridWorld.GOAL_REWARD + (optimal - 1) * GridWorld.STEP_REWARD);
            initialRunning = 0;
        }
        long updates = (episodes + k - 1) / k;
        try (ReinforceTask task = new ReinforceTask(rc, envs, updates, solvedAt, initialRunning)) {
            RunState state = Harness.withDefaultListeners(config).fit(task);
            Map<String, Object> summary = state.summary();
            summary.put("command", "reinforce");
            summary.put("env", env.toString().toLowerCase(java.util.Locale.ROOT));
            summary.put("baseline", baseline.toString().toLowerCase(java.util.Locale.ROOT));
            summary.put("episodes", task.episodes());
            summary.put("episodes_to_solve", task.solvedEpisode());
            summary.put("final_running_reward", task.runningReward());
            summary.put("env_steps_per_second", state.samplesPerSecond());
            summary.put(
                    "episodes_per_second",
                    state.trainSeconds() > 0 ? task.episodeReturns().size() / state.trainSeconds() : 0);
            if (env == Env.GRIDWORLD && task.env() instanceof GridWorld g) {
                summary.put("optimal_steps", g.optimalSteps());
            }
            if (studyEstimates > 0) {
                summary.put("gradient_variance_ratio", varianceRatio(task, envs, config.seed(), Math.max(2, k)));
            }
            if (studySeeds > 0) {
                summary.putAll(ReinforceStudy.run(
                        b -> ReinforceConfig.builder()
                                .optGamma(gamma)
                                .optBaseline(b)
                                .optEpisodesPerUpdate(b == Baseline.RLOO ? Math.max(2, k) : k)
                                .optNormalise(!noNormalise)
                                .optEntropy(entropy)
                                .optHidden(hidden)
                                .build(),
                        envs,
                        updates,
                        solvedAt,
                        initialRunning,
                        config,
                        studySeeds,
                        Math.max(2, studyEstimates)));
            }
            Pictures.curves(
                    config.outDir().resolve("metrics.csv"),
                    config.outDir().resolve("reward.png"),
                    "REINFORCE " + env.toString().toLowerCase(java.util.Locale.ROOT) + ", baseline "
                            + baseline.toString().toLowerCase(java.util.Locale.ROOT),
                    List.of("reward", "running_reward"));
            return finalSummary(state);
        }
    }

    /** Total gradient variance with the run's baseline over that without, at the final policy. */
    private double varianceRatio(ReinforceTask task, LongFunction<DiscreteEnv> envs, long seed, int k) {
        List<Baseline> pair = baseline == Baseline.NONE ? List.of(Baseline.NONE) : List.of(Baseline.NONE, baseline);
        try (DiscreteEnv e = envs.apply(seed ^ 0x5eedL);
                NDManager scope = task.parts().get(0).model().getNDManager().newSubManager()) {
            task.agent().setRandom(new java.util.Random(seed));
            Map<Baseline, GradientStudy.Stats> s = GradientStudy.run(task.agent(), e, pair, studyEstimates, k, scope);
            return s.get(baseline).totalVariance() / s.get(Baseline.NONE).totalVariance();
        }
    }
}
