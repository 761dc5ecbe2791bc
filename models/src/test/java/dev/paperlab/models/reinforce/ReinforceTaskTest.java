package dev.paperlab.models.reinforce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.paperlab.datasets.envs.CartPole;
import dev.paperlab.datasets.envs.GridWorld;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import dev.paperlab.training.TrainedPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReinforceTaskTest {
    private static final String[] MAP = GridWorld.defaultMap();

    /** On a deterministic map the trained greedy policy walks a shortest path, as long as A*'s. */
    @Test
    void greedyPathOnADeterministicGridWorldIsAsShortAsAStar(@TempDir Path dir) {
        ReinforceConfig config =
                ReinforceConfig.builder().optEpisodesPerUpdate(4).build();
        try (ReinforceTask task = new ReinforceTask(
                config, seed -> new GridWorld(NDManager.newBaseManager(), MAP, 0, 50, seed), 150, 0.9, 0)) {
            Harness.of(RunConfig.builder()
                            .optOutDir(dir)
                            .optProgress(false)
                            .optSeed(2)
                            .build())
                    .fit(task);
            try (GridWorld env = new GridWorld(NDManager.newBaseManager(), MAP, 0, 50, 1)) {
                Episode greedy = task.agent().rollout(env, true);
                assertEquals(env.optimalSteps(), greedy.length(), "greedy path vs A*");
                assertEquals(GridWorld.GOAL_REWARD, greedy.rewards()[greedy.length() - 1], "it ends at the goal");
            }
        }
    }

    /**
     * Straight run vs. a run stopped at step 6 with a checkpoint and resumed: parameters, optimizer
     * effects, the running-mean baseline, the running reward, the episode count and the
     * environment's RNG all continue exactly.
     */
    @Test
    void resumeIsExactForEveryStatefulBaseline(@TempDir Path dir) {
        for (Baseline b : List.of(Baseline.MEAN, Baseline.VALUE)) {
            Path straightDir = dir.resolve(b + "-straight");
            Path out = dir.resolve(b + "-resumed");
            List<double[]> straight;
            long examples;
            try (ReinforceTask task = task(b)) {
                examples = Harness.withDefaultListeners(config(straightDir).build())
                        .fit(task)
                        .examples();
                straight = fingerprint(task);
            }
            try (ReinforceTask task = task(b)) {
                Harness.withDefaultListeners(
                                config(out).optMaxSteps(6).optCheckpointEvery(6).build())
                        .fit(task);
            }
            assertTrue(Files.exists(out.resolve("checkpoints/step-00000006/task/reinforce.bin")));
            try (ReinforceTask task = task(b)) {
                RunState state = Harness.withDefaultListeners(
                                config(out).optResume(true).build())
                        .fit(task);
                assertEquals(12, state.step());
                assertEquals(examples, state.examples(), "environment steps over the whole run");
                List<double[]> resumed = fingerprint(task);
                assertEquals(straight.size(), resumed.size());
                for (int i = 0; i < straight.size(); i++) {
                    assertArrayEquals(straight.get(i), resumed.get(i), 0.0, b + " state " + i);
                }
            }
        }
    }

    private static RunConfig.Builder config(Path out) {
        return RunConfig.builder().optOutDir(out).optProgress(false).optSeed(4);
    }

    private static ReinforceTask task(Baseline b) {
        ReinforceConfig config = ReinforceConfig.builder()
                .optBaseline(b)
                .optEpisodesPerUpdate(2)
                .optHidden(16)
                .build();
        return new ReinforceTask(config, seed -> new CartPole(NDManager.newBaseManager(), seed), 12, 475, 10);
    }

    private static List<double[]> fingerprint(ReinforceTask task) {
        List<double[]> all = new ArrayList<>();
        for (TrainedPart part : task.parts()) {
            for (Pair<String, Parameter> p : part.model().getBlock().getParameters()) {
                float[] f = p.getValue().getArray().toFloatArray();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                all.add(d);
            }
        }
        all.add(new double[] {
            task.agent().runningMean(),
            task.runningReward(),
            task.episodes(),
            task.env().random().nextLong()
        });
        return all;
    }
}
