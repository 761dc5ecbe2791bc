package dev.paperlab.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loss of a tiny MLP VAE equals the formulas evaluated in plain Java doubles. */
class VaeLossReferenceTest {

    private static final int N = 3;
    private static final int D = 5;
    private static final int H = 4;
    private static final int J = 3;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void lossEqualsHandComputedReference(boolean withNoise) {
        Engine.getInstance().setRandomSeed(17);
        try (NDManager manager = NDManager.newBaseManager()) {
            Vae vae = Vae.builder()
                    .optInputSize(D)
                    .optHiddenSize(H)
                    .optLatentSize(J)
                    .build();
            vae.initialize(manager, DataType.FLOAT32, new Shape(N, D));
            NDArray x = manager.randomUniform(0, 1, new Shape(N, D));
            NDArray eps = manager.randomNormal(new Shape(N, J));
            NDList inputs = withNoise ? new NDList(x, eps) : new NDList(x);
            // With explicit eps the training path is taken; without, inference uses z = mu.
            NDList out = vae.forward(new ParameterStore(manager, false), inputs, withNoise);
            VaeLoss loss = new VaeLoss();
            VaeLoss.Terms terms = loss.terms(new NDList(x), out);
            float total = loss.evaluate(new NDList(x), out).getFloat();

            double[][] w1 = matrix(vae, "fc1_weight");
            double[] b1 = vector(vae, "fc1_bias");
            double[][] w21 = matrix(vae, "fc21_weight");
            double[] b21 = vector(vae, "fc21_bias");
            double[][] w22 = matrix(vae, "fc22_weight");
            double[] b22 = vector(vae, "fc22_bias");
            double[][] w3 = matrix(vae, "fc3_weight");
            double[] b3 = vector(vae, "fc3_bias");
            double[][] w4 = matrix(vae, "fc4_weight");
            double[] b4 = vector(vae, "fc4_bias");
            float[] xs = x.toFloatArray();
            float[] es = eps.toFloatArray();

            double recon = 0;
            double kl = 0;
            for (int i = 0; i < N; i++) {
                double[] xi = new double[D];
                for (int d = 0; d < D; d++) {
                    xi[d] = xs[i * D + d];
                }
                double[] h = relu(affine(w1, b1, xi));
                double[] mu = affine(w21, b21, h);
                double[] logvar = affine(w22, b22, h);
                double[] z = new double[J];
                for (int j = 0; j < J; j++) {
                    z[j] = withNoise ? mu[j] + Math.exp(logvar[j] / 2) * es[i * J + j] : mu[j];
                    kl += -0.5 * (1 + logvar[j] - mu[j] * mu[j] - Math.exp(logvar[j]));
                }
                double[] logits = affine(w4, b4, relu(affine(w3, b3, z)));
                for (int d = 0; d < D; d++) {
                    double p = 1 / (1 + Math.exp(-logits[d]));
                    recon -= xi[d] * Math.log(p) + (1 - xi[d]) * Math.log(1 - p);
                }
            }
            recon /= N;
            kl /= N;
            assertEquals(recon, terms.reconstruction().getFloat(), 1e-5 * recon, "recon");
            assertEquals(kl, terms.kl().getFloat(), 1e-5 * Math.max(kl, 1e-3), "kl");
            assertEquals(recon + kl, total, 1e-5 * (recon + kl), "total");
            float[] perExample =
                    VaeLoss.negativeElbo(out.get(0), x, out.get(1), out.get(2)).toFloatArray();
            double sum = 0;
            for (float v : perExample) {
                sum += v;
            }
            assertEquals(recon + kl, sum / N, 1e-5 * (recon + kl), "functional form");
        }
    }

    private static double[] affine(double[][] w, double[] b, double[] v) {
        double[] out = b.clone();
        for (int o = 0; o < w.length; o++) {
            for (int k = 0; k < v.length; k++) {
                out[o] += w[o][k] * v[k];
            }
        }
        return out;
    }

    private static double[] relu(double[] v) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = Math.max(0, v[k]);
        }
        return out;
    }

    /** Linear weight (out, in). */
    private static double[][] matrix(Vae vae, String name) {
        NDArray w = param(vae, name).getArray();
        int rows = (int) w.getShape().get(0);
        int cols = (int) w.getShape().get(1);
        float[] flat = w.toFloatArray();
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = flat[r * cols + c];
            }
        }
        return m;
    }

    private static double[] vector(Vae vae, String name) {
        float[] flat = param(vae, name).getArray().toFloatArray();
        double[] v = new double[flat.length];
        for (int k = 0; k < flat.length; k++) {
            v[k] = flat[k];
        }
        return v;
    }

    /** Parameter by layer and name; DJL prefixes child blocks with their position ("01encoder_01fc1"). */
    static ai.djl.nn.Parameter param(Vae vae, String name) {
        return vae.getParameters().stream()
                .filter(e -> e.getKey().matches("(\\d\\d\\w+_)?\\d\\d" + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name))
                .getValue();
    }
}
