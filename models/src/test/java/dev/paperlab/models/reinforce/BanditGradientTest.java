package dev.paperlab.models.reinforce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.datasets.envs.DiscreteEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * REINFORCE on a two-armed Bernoulli bandit, where the true gradient is known: with logits z and
 * {@code J = sum_a pi_a mu_a}, {@code dJ/dz_k = pi_k (mu_k - J)}, and z = W h + b makes that the
 * gradient with respect to the output bias b.
 */
class BanditGradientTest {
    static final double[] PAY = {0.2, 0.8};

    /** One pull per episode; arm a pays 1 with probability PAY[a]. */
    static final class Bandit extends DiscreteEnv {
        Bandit(NDManager manager, long seed) {
            super(manager, 2, seed);
        }

        @Override
        public int observationSize() {
            return 1;
        }

        @Override
        public double[] observation() {
            return new double[] {1};
        }

        @Override
        protected void resetState(Random random) {}

        @Override
        protected Transition advance(int action, Random random) {
            return new Transition(random.nextDouble() < PAY[action] ? 1 : 0, true, false);
        }
    }

    private static ReinforceAgent agent(Baseline baseline, float lr) {
        Engine.getInstance().setRandomSeed(3);
        ReinforceConfig config = ReinforceConfig.builder()
                .optBaseline(baseline)
                .optEpisodesPerUpdate(8)
                .optNormalise(false)
                .optHidden(8)
                .build();
        return ReinforceAgent.create(config, 1, 2, lr, Device.cpu());
    }

    @Test
    void everyBaselineIsUnbiasedAndLowersTheVariance() {
        try (ReinforceAgent agent = agent(Baseline.VALUE, 1e-9f);
                Bandit env = new Bandit(NDManager.newBaseManager(), 5);
                NDManager manager = NDManager.newBaseManager()) {
            agent.setRandom(new Random(11));
            // fit the value network (the policy's rate is 1e-9: it stays put, and the analytic
            // gradient below is taken at whatever policy there is after these updates anyway)
            for (int i = 0; i < 150; i++) {
                List<Episode> batch = new ArrayList<>();
                for (int k = 0; k < 8; k++) {
                    batch.add(agent.rollout(env, false));
                }
                try (NDManager scope = manager.newSubManager()) {
                    agent.update(batch, scope);
                }
            }
            double[] pi = agent.probabilities(new double[] {1});
            double j = pi[0] * PAY[0] + pi[1] * PAY[1];
            double[] analytic = {pi[0] * (PAY[0] - j), pi[1] * (PAY[1] - j)};
            agent.setRunningMean(j + 0.05, true); // a running mean near, not at, the mean reward
            List<Baseline> all = List.of(Baseline.NONE, Baseline.MEAN, Baseline.VALUE, Baseline.RLOO);
            Map<Baseline, GradientStudy.Stats> stats = GradientStudy.run(agent, env, all, 800, 8, manager);
            int n = stats.get(Baseline.NONE).mean().length;
            for (Baseline b : all) {
                GradientStudy.Stats s = stats.get(b);
                for (int k = 0; k < 2; k++) {
                    int i = n - 2 + k; // the output bias is the last parameter
                    double se = s.standardError(i);
                    // 4 standard errors: a mean off by that much has probability 6e-5 per check
                    assertEquals(analytic[k], s.mean()[i], 4 * se, b + " arm " + k + " (se " + se + ")");
                    assertTrue(se < 0.01, "the check is sharp: se " + se);
                }
                if (b != Baseline.NONE) {
                    double ratio = s.totalVariance() / stats.get(Baseline.NONE).totalVariance();
                    assertTrue(ratio < 0.8, b + " variance ratio " + ratio);
                }
            }
        }
    }

    @Test
    void snapshotForwardEqualsTheBlock() {
        try (ReinforceAgent agent = agent(Baseline.NONE, 1e-2f);
                NDManager m = NDManager.newBaseManager()) {
            Mlp net = (Mlp) agent.parts().get(0).model().getBlock();
            double[] x = {0.3};
            float[] djl = agent.parts()
                    .get(0)
                    .trainer()
                    .evaluate(new NDList(m.create(new float[] {0.3f}, new Shape(1, 1))))
                    .head()
                    .toFloatArray();
            double[] java = net.snapshot().forward(x);
            // float32 block vs double copy of the float32 weights: a few float32 ulps of |z| < 10
            assertArrayEquals(new double[] {djl[0], djl[1]}, java, 1e-5);
        }
    }

    @Test
    void anActionOutsideTheSpaceIsRefused() {
        try (ReinforceAgent agent = agent(Baseline.NONE, 1e-2f);
                NDManager m = NDManager.newBaseManager()) {
            Episode bad = new Episode(new double[][] {{1}}, new int[] {2}, new double[] {1});
            assertEquals(
                    "action must be in [0, 2), got 2",
                    assertThrows(IllegalArgumentException.class, () -> agent.update(List.of(bad), m))
                            .getMessage());
            assertEquals(
                    "an update needs at least 1 episode, got 0",
                    assertThrows(IllegalArgumentException.class, () -> agent.update(List.of(), m))
                            .getMessage());
        }
    }
}
