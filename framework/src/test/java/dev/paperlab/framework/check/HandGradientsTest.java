package dev.paperlab.framework.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.paperlab.framework.check.SoftmaxCrossEntropyGradient.Reduction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandGradientsTest {

    private static final double TOLERANCE = 1e-5;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(3);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray random(long... shape) {
        return manager.randomNormal(new Shape(shape), DataType.FLOAT64);
    }

    private static void assertClose(NDArray expected, NDArray actual) {
        assertEquals(expected.getShape(), actual.getShape());
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), TOLERANCE);
    }

    @Test
    void crossEntropyGradientMatchesAutogradOfDjlLoss() {
        int n = 6;
        int c = 5;
        NDArray logits = random(n, c).mul(3);
        NDArray labels = manager.create(new long[] {0, 4, 1, 1, 3, 2});
        NDArray oneHot = labels.oneHot(c).toType(DataType.FLOAT64, false);
        // DJL's own loss (sparse labels, mean over the batch) as the independent reference.
        SoftmaxCrossEntropyLoss djlLoss = new SoftmaxCrossEntropyLoss("ce");
        NDArray autograd = GradientCheck.autogradGradients(
                        in -> djlLoss.evaluate(new NDList(in.get(1)), new NDList(in.get(0))),
                        new NDList(logits, labels),
                        manager)
                .get(0);
        NDArray hand = SoftmaxCrossEntropyGradient.logitsGradient(logits, oneHot, Reduction.MEAN);
        assertClose(autograd, hand);
        // and p - y exactly as the derivation says, times 1/N
        assertClose(logits.softmax(-1).sub(oneHot).div(n), hand);
    }

    @Test
    void crossEntropyGradientWithSoftTargetsAndSumMatchesAutograd() {
        NDArray logits = random(4, 7);
        NDArray targets = random(4, 7).softmax(-1);
        for (Reduction reduction : Reduction.values()) {
            NDArray autograd = GradientCheck.autogradGradients(
                            in -> SoftmaxCrossEntropyGradient.loss(in.get(0), in.get(1), reduction),
                            new NDList(logits, targets),
                            manager)
                    .get(0);
            assertClose(autograd, SoftmaxCrossEntropyGradient.logitsGradient(logits, targets, reduction));
        }
        // Unnormalised targets keep the sum_c y_c factor.
        NDArray heavy = targets.mul(2.5);
        NDArray autograd = GradientCheck.autogradGradients(
                        in -> SoftmaxCrossEntropyGradient.loss(in.get(0), in.get(1), Reduction.SUM),
                        new NDList(logits, heavy),
                        manager)
                .get(0);
        assertClose(autograd, SoftmaxCrossEntropyGradient.logitsGradient(logits, heavy, Reduction.SUM));
    }

    @Test
    void crossEntropyLossPassesFiniteDifferenceCheck() {
        NDArray logits = random(3, 4);
        NDArray targets = random(3, 4).softmax(-1);
        GradientCheck.Result r = GradientCheck.check(
                in -> SoftmaxCrossEntropyGradient.loss(in.get(0), in.get(1), Reduction.MEAN),
                new NDList(logits, targets));
        assertTrue(r.maxRelError() < 1e-6, r.toString());
    }

    @Test
    void attentionGradientsMatchAutograd() {
        NDArray q = random(2, 3, 5, 4);
        NDArray k = random(2, 3, 6, 4);
        NDArray v = random(2, 3, 6, 7);
        NDArray dO = random(2, 3, 5, 7);
        // sum(O * dO) has gradient dO with respect to O, so autograd yields the VJP with dO.
        NDList autograd = GradientCheck.autogradGradients(
                in -> AttentionGradient.attention(in.get(0), in.get(1), in.get(2))
                        .mul(in.get(3))
                        .sum(),
                new NDList(q, k, v, dO),
                manager);
        AttentionGradient.Gradients hand = AttentionGradient.gradients(q, k, v, dO);
        assertClose(autograd.get(0), hand.dQ());
        assertClose(autograd.get(1), hand.dK());
        assertClose(autograd.get(2), hand.dV());
        assertClose(autograd.get(0), AttentionGradient.queryGradient(q, k, v, dO));
    }

    @Test
    void attentionQueryGradientMatchesFiniteDifferences() {
        NDArray q = random(1, 3, 4);
        NDArray k = random(1, 5, 4);
        NDArray v = random(1, 5, 2);
        NDArray dO = random(1, 3, 2);
        java.util.function.Function<NDList, NDArray> f =
                in -> AttentionGradient.attention(in.get(0), k, v).mul(dO).sum();
        NDArray numeric =
                GradientCheck.numericGradients(f, new NDList(q), 1e-6, manager).head();
        assertClose(numeric, AttentionGradient.queryGradient(q, k, v, dO));
        GradientCheck.Result r = GradientCheck.check(
                in -> AttentionGradient.attention(in.get(0), in.get(1), in.get(2))
                        .mul(dO)
                        .sum(),
                new NDList(q, k, v));
        assertTrue(r.maxRelError() < 1e-6, r.toString());
    }

    @Test
    void attentionRejectsMismatchedShapesWithThem() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionGradient.attention(random(1, 3, 4), random(1, 5, 3), random(1, 5, 2)));
        assertTrue(e.getMessage().contains("(1, 5, 3)"), e.getMessage());
    }
}
