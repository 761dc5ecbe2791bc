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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GradientCheckTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void numericGradientMatchesClosedForm() {
        // f(x) = sum x^3, df/dx = 3 x^2
        NDArray x = manager.randomNormal(new Shape(3, 4), DataType.FLOAT32);
        NDList grads = GradientCheck.numericGradients(in -> in.head().pow(3).sum(), new NDList(x), 1e-6, manager);
        double[] values = x.toType(DataType.FLOAT64, true).toDoubleArray();
        double[] numeric = grads.head().toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            assertEquals(3 * values[i] * values[i], numeric[i], 1e-8);
        }
    }

    @Test
    void smoothFunctionOfSeveralInputsPasses() {
        NDArray a = manager.randomNormal(new Shape(2, 3), DataType.FLOAT32);
        NDArray b = manager.randomNormal(new Shape(3, 2), DataType.FLOAT32);
        GradientCheck.Result r = GradientCheck.check(
                in -> in.get(0).matMul(in.get(1)).tanh().exp().sum(), new NDList(a, b));
        assertEquals(12, r.checkedElements());
        assertTrue(r.maxAbsError() < 1e-8, r.toString());
        assertTrue(r.maxRelError() < 1e-7, r.toString());
    }

    @Test
    void aBrokenAutogradIsCaught() {
        // stopGradient hides one factor of x * x from autograd: it returns x, the truth is 2x.
        NDArray x = manager.create(new float[] {1f, -2f, 3f});
        GradientCheck.Result r = GradientCheck.check(
                in -> in.head().stopGradient().mul(in.head()).sum(), new NDList(x));
        assertEquals(3.0, r.maxAbsError(), 1e-6);
        assertEquals(0.5, r.maxRelError(), 1e-6);
    }

    @Test
    void integerInputsPassThroughUndifferentiated() {
        NDArray logits = manager.randomNormal(new Shape(4, 5), DataType.FLOAT32);
        NDArray labels = manager.create(new int[] {0, 4, 2, 2});
        GradientCheck.Result r = GradientCheck.check(
                in -> in.get(0)
                        .logSoftmax(-1)
                        .mul(in.get(1).oneHot(5).toType(DataType.FLOAT64, false))
                        .sum()
                        .neg(),
                new NDList(logits, labels));
        assertEquals(20, r.checkedElements());
        assertTrue(r.maxRelError() < 1e-6, r.toString());
        // the caller's arrays are untouched
        assertEquals(DataType.FLOAT32, logits.getDataType());
        assertArrayEquals(new int[] {0, 4, 2, 2}, labels.toIntArray());
    }

    @Test
    void repeatedCallsDoNotAccumulateIntoCallerArrays() {
        NDArray x = manager.randomNormal(new Shape(5), DataType.FLOAT64);
        double[] before = x.toDoubleArray();
        double[] first = GradientCheck.autogradGradients(in -> in.head().pow(2).sum(), new NDList(x), manager)
                .head()
                .toDoubleArray();
        double[] second = GradientCheck.autogradGradients(in -> in.head().pow(2).sum(), new NDList(x), manager)
                .head()
                .toDoubleArray();
        assertArrayEquals(first, second, 0.0);
        for (int i = 0; i < before.length; i++) {
            assertEquals(2 * before[i], first[i], 1e-12);
        }
        assertArrayEquals(before, x.toDoubleArray(), 0.0);
        assertTrue(!x.hasGradient(), "caller array must not require a gradient");
    }

    @Test
    void nonScalarFunctionIsRejected() {
        NDArray x = manager.ones(new Shape(2));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GradientCheck.check(in -> in.head().mul(2), new NDList(x)));
        assertTrue(e.getMessage().contains("(2)"), e.getMessage());
    }
}
