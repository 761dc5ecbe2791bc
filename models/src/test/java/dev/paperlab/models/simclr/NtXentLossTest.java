package dev.paperlab.models.simclr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.framework.check.GradientCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NtXentLossTest {

    /** Eq. 1 and Algorithm 1 of Chen et al. 2020 transcribed loop by loop, in doubles. */
    private static double paperFormula(double[][] z, double tau) {
        int rows = z.length;
        int n = rows / 2;
        double total = 0;
        for (int i = 0; i < rows; i++) {
            int j = (i + n) % rows;
            double denominator = 0;
            for (int k = 0; k < rows; k++) {
                if (k != i) {
                    denominator += Math.exp(cosine(z[i], z[k]) / tau);
                }
            }
            total += -Math.log(Math.exp(cosine(z[i], z[j]) / tau) / denominator);
        }
        return total / rows;
    }

    private static double cosine(double[] u, double[] v) {
        double uv = 0;
        double uu = 0;
        double vv = 0;
        for (int i = 0; i < u.length; i++) {
            uv += u[i] * v[i];
            uu += u[i] * u[i];
            vv += v[i] * v[i];
        }
        return uv / Math.sqrt(uu * vv);
    }

    private static float loss(NDManager m, double[][] z, float tau) {
        float[] flat = new float[z.length * z[0].length];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[0].length; j++) {
                flat[i * z[0].length + j] = (float) z[i][j];
            }
        }
        return NtXentLoss.ntXent(m.create(flat, new Shape(z.length, z[0].length)), tau)
                .getFloat();
    }

    @Test
    void equalsThePaperFormulaOnRandomInputs() {
        Random r = new Random(7);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 5; trial++) {
                int n = 2 + r.nextInt(6);
                double[][] z = new double[2 * n][5];
                for (double[] row : z) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = r.nextGaussian() * (1 + trial);
                    }
                }
                float tau = 0.1f + 0.4f * trial / 4;
                // float32 logits up to 1/tau = 10: relative error ~1e-6
                assertEquals(paperFormula(z, tau), loss(m, z, tau), 1e-5, "trial " + trial);
            }
        }
    }

    @Test
    void perfectPositivesWithOrthogonalNegativesGiveTheGoldenValue() {
        // N = 2: views (e1, e2 | e1, e2). Row 1's positive has sim 1, its two negatives sim 0:
        // l = -log(e^2 / (e^2 + 2)) = log(1 + 2 e^-2) = log(1.2706706) = 0.2395447, and every row alike
        double[][] z = {{1, 0}, {0, 1}, {1, 0}, {0, 1}};
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(0.239545, loss(m, z, 0.5f), 1e-6);
        }
    }

    @Test
    void fullCollapseGivesLogOfTwoNMinusOne() {
        // every projection equal: each row has 2N - 1 equal terms, the positive one of them
        try (NDManager m = NDManager.newBaseManager()) {
            for (int n : new int[] {2, 5, 16}) {
                double[][] z = new double[2 * n][3];
                for (double[] row : z) {
                    row[0] = 2;
                    row[1] = -1;
                    row[2] = 0.5;
                }
                assertEquals(Math.log(2 * n - 1), loss(m, z, 0.3f), 1e-5, "N = " + n);
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.randomNormal(0, 1, new Shape(6, 4), DataType.FLOAT64);
            GradientCheck.Result result = GradientCheck.check(x -> NtXentLoss.ntXent(x.head(), 0.5f), new NDList(z));
            // float64 central differences with eps 1e-6: truncation ~1e-12, rounding ~1e-10
            assertTrue(result.maxRelError() < 1e-6, "relative error " + result.maxRelError());
            assertEquals(24, result.checkedElements());
        }
    }

    @Test
    void badInputSaysWhatIsWrong() {
        IllegalArgumentException tau = assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(0f));
        assertTrue(tau.getMessage().contains("temperature must be finite and > 0, got 0.0"), tau.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(-0.5f));
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException one = assertThrows(
                    IllegalArgumentException.class, () -> NtXentLoss.ntXent(m.ones(new Shape(2, 8)), 0.5f));
            assertTrue(one.getMessage().contains("N >= 2") && one.getMessage().contains("(2, 8)"), one.getMessage());
            IllegalArgumentException odd = assertThrows(
                    IllegalArgumentException.class, () -> NtXentLoss.ntXent(m.ones(new Shape(5, 8)), 0.5f));
            assertTrue(odd.getMessage().contains("(5, 8)"), odd.getMessage());
        }
    }
}
