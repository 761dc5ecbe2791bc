package dev.paperlab.models.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.paperlab.framework.nn.Scalars;

/**
 * The normalized temperature-scaled cross-entropy (NT-Xent) of SimCLR (Chen et al. 2020, Eq. 1
 * and Algorithm 1). For a batch of {@code 2N} projections where rows {@code k} and {@code k + N}
 * are the two views of one example:
 *
 * <pre>
 *   sim(u, v) = u^T v / (||u|| ||v||)                                     cosine similarity
 *   l(i, j)   = -log( exp(sim(z_i, z_j)/tau) / sum_{k != i} exp(sim(z_i, z_k)/tau) )   Eq. 1
 *   L         = 1/(2N) sum_{k=1..N} [ l(2k-1, 2k) + l(2k, 2k-1) ]
 * </pre>
 *
 * <p>Computed as a softmax cross-entropy over each row of the {@code (2N, 2N)} similarity matrix
 * with the diagonal masked out and the other view as the target. Two properties pin it down: with
 * every projection equal (collapse) each row has {@code 2N - 1} equal logits and {@code L = ln(2N -
 * 1)}; with positives identical and negatives orthogonal, {@code L = ln(1 + (2N - 2)
 * exp(-1/tau))}.
 *
 * <p>DJL has no contrastive loss, hence this one; it is a DJL {@link Loss} whose prediction is
 * the projection batch {@code z} (labels are ignored: the pairing is the batch layout).
 */
public final class NtXentLoss extends Loss {
    private final float temperature;

    /**
     * @param temperature tau, &gt; 0
     */
    public NtXentLoss(float temperature) {
        super("nt_xent");
        checkTemperature(temperature);
        this.temperature = temperature;
    }

    public float temperature() {
        return temperature;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return ntXent(predictions.head(), temperature);
    }

    /**
     * NT-Xent of a {@code 2N} batch, the functional form.
     *
     * @param z projections, (2N, D) with N &gt;= 2; rows k and k + N are a positive pair
     * @param temperature tau, &gt; 0
     * @return the scalar loss L
     */
    public static NDArray ntXent(NDArray z, float temperature) {
        checkTemperature(temperature);
        Shape s = z.getShape();
        if (s.dimension() != 2 || s.get(0) % 2 != 0 || s.get(0) < 4) {
            throw new IllegalArgumentException("projections must be (2N, D) with N >= 2 examples (two views each;"
                    + " with one example the loss has no negatives), got " + s);
        }
        int rows = (int) s.get(0);
        int n = rows / 2;
        NDManager m = z.getManager();
        NDArray unit = z.normalize(2, 1, 1e-12); // (2N, D) z / ||z||
        NDArray logits = Scalars.div(unit.matMul(unit.transpose()), temperature); // (2N, 2N) sim / tau
        boolean[] diagonal = new boolean[rows * rows];
        float[] pairs = new float[rows * rows];
        for (int k = 0; k < rows; k++) {
            diagonal[k * rows + k] = true;
            pairs[k * rows + (k + n) % rows] = 1; // row k pairs with k + N, row k + N with k
        }
        NDArray self = m.create(diagonal, new Shape(rows, rows)); // (2N, 2N)
        NDArray positive = m.create(pairs, new Shape(rows, rows)).toType(logits.getDataType(), false);
        NDArray minusInf = m.full(new Shape(rows, rows), Float.NEGATIVE_INFINITY, logits.getDataType());
        logits = NDArrays.where(self, minusInf, logits); // k != i in the denominator
        NDArray logP = logits.logSoftmax(1); // (2N, 2N)
        // masked entries are -inf in logP and 0 in positive: take them out before the product
        NDArray picked = NDArrays.where(self, m.zeros(new Shape(rows, rows), logits.getDataType()), logP);
        return Scalars.div(picked.mul(positive).sum().neg(), rows); // Eq. 1 averaged over all 2N anchors
    }

    private static void checkTemperature(float temperature) {
        if (!(temperature > 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
    }
}
