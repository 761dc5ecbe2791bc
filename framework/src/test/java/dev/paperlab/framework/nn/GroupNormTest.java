package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Group norm: Wu &amp; He's per-group statistics, the fused path equal to the written-out one, gradients too. */
class GroupNormTest {

    @Test
    void eachGroupHasZeroMeanAndUnitVarianceBeforeTheAffinePart() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            NDArray x = m.randomNormal(2f, 3f, new Shape(3, 8, 5, 5), DataType.FLOAT32);
            NDArray y = GroupNorm.groupNorm(x, 4, null, null, 1e-5f).reshape(3, 4, -1); // (N, G, M)
            // float32 sums of 50 values: 1e-5 is far above rounding, far below any wrong grouping
            assertTrue(y.mean(new int[] {2}).abs().max().getFloat() < 1e-5f);
            NDArray var = y.square().mean(new int[] {2});
            // var_g / (var_g + eps) with var_g ~ 9: 1 - 1e-6
            assertTrue(var.sub(1f).abs().max().getFloat() < 1e-4f, var.toString());
            // a group's statistics ignore the other groups: changing channel 0 leaves group 2 alone
            NDArray x2 = x.duplicate();
            x2.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 100f);
            NDArray y2 = GroupNorm.groupNorm(x2, 4, null, null, 1e-5f).reshape(3, 4, -1);
            assertEquals(0f, y.get(":, 2").sub(y2.get(":, 2")).abs().max().getFloat(), 1e-6f);
        }
    }

    /** The fused layer_norm path equals Eq. 1-3 written out, in value and in input/gamma/beta gradients. */
    @Test
    void fusedPathEqualsTheReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(2);
            NDArray x = m.randomNormal(new Shape(2, 6, 4, 3));
            NDArray gamma = m.randomNormal(new Shape(6));
            NDArray beta = m.randomNormal(new Shape(6));
            NDArray r = m.randomNormal(x.getShape());
            NDArray[] fast = valueAndGradients(x, gamma, beta, r, true);
            NDArray[] ref = valueAndGradients(x, gamma, beta, r, false);
            for (int i = 0; i < fast.length; i++) {
                // float32 rounding of a 24-element normalisation: ~1e-6
                float err = fast[i].sub(ref[i]).abs().max().getFloat();
                assertTrue(err < 1e-4f, "output/gradient " + i + " differs by " + err);
            }
        }
    }

    private static NDArray[] valueAndGradients(NDArray x0, NDArray g0, NDArray b0, NDArray r, boolean fused) {
        NDArray x = x0.duplicate();
        NDArray g = g0.duplicate();
        NDArray b = b0.duplicate();
        x.setRequiresGradient(true);
        g.setRequiresGradient(true);
        b.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            y = fused ? GroupNorm.groupNorm(x, 3, g, b, 1e-5f) : GroupNorm.groupNormReference(x, 3, g, b, 1e-5f);
            c.backward(y.mul(r).sum());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient(), g.getGradient(), b.getGradient()};
    }

    @Test
    void blockStartsAsPureNormalisationAndChecksChannels() {
        GroupNorm block = GroupNorm.builder().optGroups(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 4, 3, 3);
            block.initialize(m, DataType.FLOAT32, s);
            NDArray x = m.randomNormal(s);
            NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), false)
                    .head();
            NDArray expected = GroupNorm.groupNormReference(x, 2, null, null, 1e-5f);
            assertTrue(y.sub(expected).abs().max().getFloat() < 1e-5f);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> GroupNorm.groupNorm(m.zeros(new Shape(1, 5, 2)), 2, null, null, 1e-5f));
            assertTrue(e.getMessage().contains("divisible by 2 groups, got (1, 5, 2)"), e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> GroupNorm.builder().optGroups(0).build());
    }
}
