package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.optim.Adam;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An episode step (Williams 1992): collect a batch of bandit pulls under the current policy, then
 * one update with grad J = E[(R - b) grad log pi(a)]. Arm 1 pays with probability 0.8, arm 0 with
 * 0.2; the policy starts uniform.
 */
class ReinforceBanditTest {
    private static final double[] PAY = {0.2, 0.8};
    private static final int PULLS = 32;

    static final class BanditTask implements TrainingTask {
        private TrainedPart policy;
        /** Running-mean reward baseline b; it reduces variance without biasing the gradient. */
        private double baseline = 0.5;

        @Override
        public void setUp(RunConfig config) {
            // A small policy network; a single softmax layer would have gradients summing to zero,
            // which DJL's first-step gradient check mistakes for a missing backward pass.
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(8).build())
                    .add(Activation::tanh)
                    .add(Linear.builder().setUnits(2).build());
            policy = Parts.create(
                    "policy",
                    net,
                    new SquaredErrorLoss(),
                    Adam.builder().optLearningRate(0.02f).build(),
                    Device.cpu(),
                    new Shape(1, 1));
        }

        @Override
        public List<TrainedPart> parts() {
            return List.of(policy);
        }

        @Override
        public long stepsPerEpoch() {
            return 150;
        }

        @Override
        public long examplesPerStep() {
            return PULLS;
        }

        @Override
        public Map<String, Double> step(StepContext context) {
            var scope = context.scope();
            Random random = context.random();
            double meanReward;
            try (GradientCollector collector = policy.trainer().newGradientCollector()) {
                NDArray logProbs = policy.trainer()
                        .forward(new NDList(scope.ones(new Shape(1, 1))))
                        .singletonOrThrow()
                        .logSoftmax(1)
                        .reshape(2);
                float[] p = logProbs.exp().toFloatArray();
                // Rollout: sample actions and rewards (no gradient through the environment).
                float[] advantage = new float[2];
                int[] actions = new int[PULLS];
                double[] rewards = new double[PULLS];
                double sum = 0;
                for (int i = 0; i < PULLS; i++) {
                    actions[i] = random.nextDouble() < p[0] ? 0 : 1;
                    rewards[i] = random.nextDouble() < PAY[actions[i]] ? 1 : 0;
                    sum += rewards[i];
                }
                meanReward = sum / PULLS;
                for (int i = 0; i < PULLS; i++) {
                    advantage[actions[i]] += (float) ((rewards[i] - baseline) / PULLS);
                }
                baseline = 0.9 * baseline + 0.1 * meanReward;
                // Surrogate loss whose gradient is -sum_i (R_i - b) grad log pi(a_i) / N.
                NDArray loss = logProbs.mul(scope.create(advantage)).sum().neg();
                collector.backward(loss);
            }
            policy.trainer().step();
            return Map.of("reward", meanReward);
        }

        double probabilityOfBestArm() {
            try (var scope = policy.trainer().getManager().newSubManager()) {
                NDArray logits = policy.trainer()
                        .evaluate(new NDList(scope.ones(new Shape(1, 1))))
                        .singletonOrThrow();
                return logits.reshape(2).softmax(0).get(new NDIndex(1)).getFloat();
            }
        }
    }

    @Test
    void policyLearnsTheBetterArm(@TempDir Path dir) {
        try (BanditTask task = new BanditTask()) {
            Harness.of(RunConfig.builder()
                            .optOutDir(dir)
                            .optProgress(false)
                            .optSeed(5)
                            .build())
                    .fit(task);
            double p = task.probabilityOfBestArm();
            assertTrue(p > 0.9, "P(best arm) = " + p);
        }
    }
}
