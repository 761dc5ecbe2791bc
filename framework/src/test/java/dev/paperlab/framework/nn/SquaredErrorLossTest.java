package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

class SquaredErrorLossTest {

    /** Same value as DJL's L2Loss, and the closed-form gradient (y_hat - y) / n. */
    @Test
    void valueEqualsDjlsL2LossAndGradientIsTheClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray y = m.randomNormal(new Shape(6, 3));
            NDArray p0 = m.randomNormal(new Shape(6, 3));
            Loss ours = new SquaredErrorLoss();
            assertEquals(
                    Loss.l2Loss().evaluate(new NDList(y), new NDList(p0)).getFloat(),
                    ours.evaluate(new NDList(y), new NDList(p0)).getFloat(),
                    1e-6f);
            assertEquals("L2Loss", ours.getName());
            float[] want = p0.sub(y).div(18f).toFloatArray();
            for (int round = 0; round < 20; round++) {
                NDArray p = p0.duplicate();
                p.setRequiresGradient(true);
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = ours.evaluate(new NDList(y), new NDList(p));
                    System.gc(); // DJL's L2Loss loses its 1/2 here now and then
                    byte[][] churn = new byte[64][];
                    for (int i = 0; i < churn.length; i++) {
                        churn[i] = new byte[4096];
                    }
                    c.backward(loss);
                }
                assertArrayEquals(want, p.getGradient().toFloatArray(), 1e-6f, "round " + round);
            }
        }
    }
}
