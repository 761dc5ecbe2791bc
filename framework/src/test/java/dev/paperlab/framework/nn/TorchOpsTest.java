package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** libtorch's fused silu and group_norm, called past DJL: values, gradients and memory. */
class TorchOpsTest {

    /** The project's libtorch (pinned in the build) exports both entry points. */
    @Test
    void theFusedOperatorsAreReachable() {
        assertTrue(TorchOps.available());
        try (NDManager m = NDManager.newBaseManager()) {
            assertTrue(TorchOps.accepts(m.zeros(new Shape(1))));
        }
    }

    /**
     * silu(x) = x sigmoid(x) and its gradient sigmoid(x) (1 + x (1 - sigmoid(x))), against the
     * composite through autograd; float32 rounding of a few operations, ~1e-7 relative.
     */
    @Test
    void siluEqualsXTimesSigmoidInValueAndGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            NDArray x0 = m.randomNormal(0f, 3f, new Shape(3, 4, 5), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray r = m.randomNormal(x0.getShape());
            NDArray[] fused = siluAndGradient(x0, r, true);
            NDArray[] composite = siluAndGradient(x0, r, false);
            for (int i = 0; i < 2; i++) {
                float err = fused[i].sub(composite[i]).abs().max().getFloat();
                assertTrue(err < 1e-5f, (i == 0 ? "value" : "gradient") + " differs by " + err);
            }
            NDArray s = Activation.sigmoid(x0);
            NDArray closedForm = s.mul(x0.mul(s.neg().add(1f)).add(1f)).mul(r);
            assertTrue(fused[1].sub(closedForm).abs().max().getFloat() < 1e-5f);
        }
    }

    private static NDArray[] siluAndGradient(NDArray x0, NDArray r, boolean fused) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            y = fused ? TorchOps.silu(x) : x.mul(Activation.sigmoid(x));
            c.backward(y.mul(r).sum());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient()};
    }

    /** The layer_norm composite (the path for other engines) still equals Eq. 1-3 written out. */
    @Test
    void compositeGroupNormEqualsTheReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(2, 6, 4, 3));
            NDArray g = m.randomNormal(new Shape(6));
            NDArray b = m.randomNormal(new Shape(6));
            NDArray a = GroupNorm.groupNormComposite(x, 3, g, b, 1e-5f);
            NDArray ref = GroupNorm.groupNormReference(x, 3, g, b, 1e-5f);
            assertTrue(a.sub(ref).abs().max().getFloat() < 1e-4f);
        }
    }

    /**
     * Every result belongs to its input's manager, so closing a step's sub-manager frees it: 2,000
     * fused calls with their backward leave the outer manager's array count where it was. (That
     * the native tensors are released with them was checked by resident memory outside the suite:
     * 600 calls on (64, 64, 14, 14), 3 MB each, stayed within 170-213 MB.)
     */
    @Test
    void resultsAreFreedWithTheirManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray gamma = m.ones(new Shape(4));
            NDArray beta = m.zeros(new Shape(4));
            gamma.setRequiresGradient(true);
            int before = -1;
            for (int i = 0; i < 2000; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.randomNormal(new Shape(2, 4, 3, 3));
                    x.setRequiresGradient(true);
                    try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                        NDArray y = TorchOps.silu(TorchOps.groupNorm(x, 2, gamma, beta, 1e-5));
                        assertSame(step, y.getManager());
                        c.backward(y.sum());
                    }
                }
                if (i == 10) {
                    before = m.getManagedArrays().size();
                }
            }
            assertEquals(before, m.getManagedArrays().size());
        }
    }
}
