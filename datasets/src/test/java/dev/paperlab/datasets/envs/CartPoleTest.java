package dev.paperlab.datasets.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.rl.env.RlEnv;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class CartPoleTest {

    /**
     * Expected values computed by hand outside this code base (Python floats, Gym's formula):
     * from (0.01, -0.02, 0.03, 0.04). 1e-9 leaves room only for a different order of rounding.
     */
    @Test
    void oneStepFromAKnownStateMatchesHandComputedValues() {
        try (CartPole env = new CartPole(NDManager.newBaseManager(), 1)) {
            env.setState(0.01, -0.02, 0.03, 0.04);
            DiscreteEnv.Transition t = env.act(1);
            assertArrayEquals(
                    new double[] {0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.24306871796000815
                    },
                    env.observation(),
                    1e-9);
            assertEquals(1.0, t.reward());
            assertFalse(t.done());
            env.setState(0.01, -0.02, 0.03, 0.04);
            env.act(0);
            assertArrayEquals(
                    new double[] {0.009600000000000001, -0.21553901710278936, 0.030799999999999998, 0.3419952237760392},
                    env.observation(),
                    1e-9);
        }
    }

    @Test
    void terminatesPastTheAngleLimit() {
        try (CartPole env = new CartPole(NDManager.newBaseManager(), 1)) {
            // theta just inside the limit, moving outward: one step of tau theta' = 0.002 rad crosses it
            env.setState(0, 0, CartPole.THETA_LIMIT - 0.001, 0.1);
            DiscreteEnv.Transition t = env.act(1);
            assertTrue(t.terminated());
            assertFalse(t.truncated());
            assertEquals(1.0, t.reward(), "the last step is rewarded too");
            assertThrows(IllegalStateException.class, () -> env.act(0));
            env.setState(0, 0, -CartPole.THETA_LIMIT + 0.001, -0.1);
            assertTrue(env.act(0).terminated());
        }
    }

    @Test
    void terminatesPastThePositionLimit() {
        try (CartPole env = new CartPole(NDManager.newBaseManager(), 1)) {
            env.setState(CartPole.X_LIMIT - 0.001, 0.1, 0, 0);
            assertTrue(env.act(1).terminated());
            env.setState(-CartPole.X_LIMIT + 0.001, -0.1, 0, 0);
            assertTrue(env.act(0).terminated());
            env.setState(CartPole.X_LIMIT - 0.01, 0.1, 0, 0); // 0.002 m short of the limit
            assertFalse(env.act(1).done());
        }
    }

    @Test
    void truncatesAfter500StepsOfABalancingController() {
        try (CartPole env = new CartPole(NDManager.newBaseManager(), 3)) {
            env.reset();
            int steps = 0;
            DiscreteEnv.Transition t;
            do {
                double[] s = env.observation();
                // a PD controller on the pole and the cart keeps it up indefinitely
                int a = s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0 ? 1 : 0;
                t = env.act(a);
                steps++;
            } while (!t.done());
            assertEquals(CartPole.MAX_STEPS, steps);
            assertTrue(t.truncated());
            assertFalse(t.terminated());
        }
    }

    @Test
    void djlViewStepsAndRejectsActionsOutsideTheSpace() {
        try (CartPole env = new CartPole(NDManager.newBaseManager(), 5)) {
            RlEnv rl = env;
            rl.reset();
            assertEquals(2, rl.getActionSpace().size());
            float[] before = rl.getObservation().head().toFloatArray();
            RlEnv.Step step = rl.step(rl.getActionSpace().get(1), true);
            assertArrayEquals(before, step.getPreObservation().head().toFloatArray());
            assertEquals(1f, step.getReward().getFloat());
            assertEquals(1, rl.getBatch().length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.act(2));
            assertEquals("action must be in [0, 2) for CartPole, got 2", e.getMessage());
            NDManager m = NDManager.newBaseManager();
            try (m) {
                assertThrows(IllegalArgumentException.class, () -> rl.step(new NDList(m.create(-1)), false));
            }
        }
    }

    @Test
    void sameSeedSameInitialStates() {
        try (CartPole a = new CartPole(NDManager.newBaseManager(), 9);
                CartPole b = new CartPole(NDManager.newBaseManager(), 9)) {
            for (int i = 0; i < 3; i++) {
                a.reset();
                b.reset();
                assertArrayEquals(a.observation(), b.observation(), 0.0);
                for (double v : a.observation()) {
                    assertTrue(Math.abs(v) <= 0.05);
                }
            }
        }
    }
}
