package dev.paperlab.models.reinforce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.paperlab.datasets.envs.CartPole;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The agent through DJL's interfaces ({@code RlEnv.runEnvironment}, {@code RlAgent.trainBatch})
 * makes the same update as through the fast path ({@code rollout}, {@code update}).
 */
class DjlInterfacesTest {

    private static ReinforceAgent agent() {
        Engine.getInstance().setRandomSeed(21); // the same initial weights for both agents
        ReinforceConfig config = ReinforceConfig.builder()
                .optBaseline(Baseline.NONE)
                .optHidden(16)
                .build();
        ReinforceAgent agent = ReinforceAgent.create(config, 4, 2, 1e-2f, Device.cpu());
        agent.setRandom(new Random(5));
        return agent;
    }

    @Test
    void runEnvironmentAndTrainBatchEqualRolloutAndUpdate() {
        try (ReinforceAgent viaDjl = agent();
                ReinforceAgent direct = agent();
                CartPole envA = new CartPole(NDManager.newBaseManager(), 3);
                CartPole envB = new CartPole(NDManager.newBaseManager(), 3);
                NDManager scope = NDManager.newBaseManager()) {
            float total = envA.runEnvironment(viaDjl, true);
            viaDjl.trainBatch(envA.getBatch());
            Episode e = direct.rollout(envB, false);
            direct.update(List.of(e), scope);
            assertEquals(e.total(), total, 0.0, "the same episode");
            List<float[]> a = weights(viaDjl);
            List<float[]> b = weights(direct);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(b.get(i), a.get(i), 0f, "parameter " + i);
            }
        }
    }

    private static List<float[]> weights(ReinforceAgent agent) {
        List<float[]> all = new ArrayList<>();
        for (Pair<String, Parameter> p : agent.parts().get(0).model().getBlock().getParameters()) {
            all.add(p.getValue().getArray().toFloatArray());
        }
        return all;
    }
}
