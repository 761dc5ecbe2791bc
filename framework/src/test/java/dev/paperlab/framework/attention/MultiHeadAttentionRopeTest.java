package dev.paperlab.framework.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.paperlab.framework.position.RopeConvention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MultiHeadAttentionRopeTest {
    /** One head of size D = E = 8: positions 0..7 fit the one-hot trick below. */
    private static final int D = 8;
    /** Content of position m: one-hot e_{PERM[m]}, so that content and position differ. */
    private static final int[] PERM = {5, 2, 7, 0, 3, 6, 1, 4};

    private static MultiHeadAttention block(NDManager m, RopeConvention rope) {
        MultiHeadAttention b = MultiHeadAttention.builder()
                .setEmbeddingSize(16)
                .setHeads(2)
                .optCausal(true)
                .optRotary(rope)
                .build();
        b.initialize(m, DataType.FLOAT32, new Shape(1, 5, 16));
        return b;
    }

    @Test
    void meanPoolConversionKeepsRopeAndIsExactForIdenticalHeads() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(2);
            MultiHeadAttention mha = MultiHeadAttention.builder()
                    .setEmbeddingSize(16)
                    .setHeads(4)
                    .optCausal(true)
                    .optRotary(RopeConvention.INTERLEAVED)
                    .build();
            mha.initialize(m, DataType.FLOAT32, new Shape(1, 5, 16));
            // heads 2g and 2g+1 share their key and value projections: pooling pairs loses nothing
            for (var proj : new ai.djl.nn.core.Linear[] {mha.getKeyProjection(), mha.getValueProjection()}) {
                for (Pair<String, Parameter> p : proj.getParameters()) {
                    NDArray w = p.getValue().getArray(); // rows [h*4, (h+1)*4) belong to head h
                    for (int g = 0; g < 2; g++) {
                        w.set(
                                new ai.djl.ndarray.index.NDIndex("{}:{}", 8 * g + 4, 8 * g + 8),
                                w.get(new ai.djl.ndarray.index.NDIndex("{}:{}", 8 * g, 8 * g + 4)));
                    }
                }
            }
            MultiHeadAttention gqa = GroupedQueryConversion.meanPool(mha, 2, m);
            assertEquals(RopeConvention.INTERLEAVED, gqa.rope());
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 5, 16));
            float diff = mha.forward(ps, x, null, null, false)
                    .sub(gqa.forward(ps, x, null, null, false))
                    .abs()
                    .max()
                    .getFloat();
            assertEquals(0f, diff, 1e-5f);
        }
    }

    @Test
    void ropeRotatesQueriesAndKeysByPositionOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            MultiHeadAttention plain = block(m, null);
            MultiHeadAttention rope = block(m, RopeConvention.HALF_SPLIT);
            var src = plain.getParameters().iterator();
            for (Pair<String, Parameter> p : rope.getParameters()) {
                src.next().getValue().getArray().copyTo(p.getValue().getArray());
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 5, 16));
            NDArray a = plain.forward(ps, x, null, null, false);
            NDArray b = rope.forward(ps, x, null, null, false);
            // position 0 is the identity rotation: the first causal output is unchanged ...
            assertEquals(0f, a.get("0, 0").sub(b.get("0, 0")).abs().max().getFloat(), 1e-6f);
            // ... later positions see rotated scores
            assertTrue(a.get("0, 1:").sub(b.get("0, 1:")).abs().max().getFloat() > 1e-4);
        }
    }

    /**
     * (a, b) -> (a cos - b sin, b cos + a sin) for pair i at angle m theta_i, theta_i =
     * 10000^(-2i/D) (RoFormer Eq. 34), in doubles; pair i is (2i, 2i + 1) or (i, i + D/2).
     */
    private static double[] rotated(float[] x, int m, RopeConvention convention) {
        double[] out = new double[D];
        for (int i = 0; i < D / 2; i++) {
            double angle = m * Math.pow(10000, -2.0 * i / D);
            int first = convention == RopeConvention.INTERLEAVED ? 2 * i : i;
            int second = convention == RopeConvention.INTERLEAVED ? 2 * i + 1 : i + D / 2;
            out[first] = x[first] * Math.cos(angle) - x[second] * Math.sin(angle);
            out[second] = x[second] * Math.cos(angle) + x[first] * Math.sin(angle);
        }
        return out;
    }

    /** Column c of a (D, D) Linear weight: the projection of the one-hot input e_c. */
    private static float[] column(float[] weight, int c) {
        float[] out = new float[D];
        for (int r = 0; r < D; r++) {
            out[r] = weight[r * D + c];
        }
        return out;
    }

    /** s(m, n) = (R_m q_m) . (R_n k_n) / sqrt(D) for the contents at positions m and n. */
    private static double score(float[] wq, float[] wk, int m, int n, RopeConvention convention) {
        double[] q = rotated(column(wq, PERM[m]), m, convention);
        double[] k = rotated(column(wk, PERM[n]), n, convention);
        double dot = 0;
        for (int i = 0; i < D; i++) {
            dot += q[i] * k[i];
        }
        return dot / Math.sqrt(D);
    }

    /**
     * Checks output rows of queries at positions offset .. offset + T - 1 against the causal
     * softmax of the independent scores. With W_v = W_o = I and inputs e_PERM[n], output row m is
     * sum_n w_mn e_PERM[n], so entry PERM[n] of it is the weight w_mn.
     */
    private static void assertWeights(float[] out, int offset, float[] wq, float[] wk, RopeConvention convention) {
        int rows = out.length / D;
        for (int r = 0; r < rows; r++) {
            int m = offset + r;
            double[] s = new double[m + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int n = 0; n <= m; n++) {
                s[n] = score(wq, wk, m, n, convention);
                max = Math.max(max, s[n]);
            }
            double sum = 0;
            for (int n = 0; n <= m; n++) {
                sum += Math.exp(s[n] - max);
            }
            for (int n = 0; n < D; n++) {
                float w = out[r * D + PERM[n]];
                String where = convention + " query " + m + ", key " + n;
                if (n > m) {
                    assertEquals(0f, w, 0f, where + " is in the future");
                    continue;
                }
                // float32 projections, rotation, 8-term dot products and softmax: errors ~1e-6
                assertEquals(Math.exp(s[n] - max) / sum, w, 1e-5, where);
                // the scores themselves, up to the row's constant: log(w_mn / w_m0) = s_mn - s_m0;
                // weights are relatively accurate to ~1e-6, so the log ratio to ~1e-5
                double logRatio = Math.log(w / (double) out[r * D + PERM[0]]);
                assertEquals(s[n] - s[0], logRatio, 1e-4, where + " score difference");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RopeConvention.class)
    void scoresInsideTheBlockAreTheRotatedDotProductsWithAndWithoutTheCache(RopeConvention convention) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            MultiHeadAttention block = MultiHeadAttention.builder()
                    .setEmbeddingSize(D)
                    .setHeads(1)
                    .optBias(false)
                    .optCausal(true)
                    .optRotary(convention)
                    .build();
            block.initialize(m, DataType.FLOAT32, new Shape(1, D, D));
            for (Linear proj : new Linear[] {block.getValueProjection(), block.getOutputProjection()}) {
                m.eye(D).copyTo(proj.getParameters().get("weight").getArray());
            }
            // W_q, W_k ~ N(0, 1): scores of order 1, weights far from 0 and 1
            for (Linear proj : new Linear[] {block.getQueryProjection(), block.getKeyProjection()}) {
                NDArray w = proj.getParameters().get("weight").getArray();
                m.randomNormal(new Shape(D, D)).copyTo(w);
            }
            float[] wq = block.getQueryProjection()
                    .getParameters()
                    .get("weight")
                    .getArray()
                    .toFloatArray();
            float[] wk = block.getKeyProjection()
                    .getParameters()
                    .get("weight")
                    .getArray()
                    .toFloatArray();
            NDArray x = m.zeros(new Shape(1, D, D)); // (B, T, E): position n holds e_PERM[n]
            for (int n = 0; n < D; n++) {
                x.set(new NDIndex("0, {}, {}", n, PERM[n]), 1f);
            }
            ParameterStore ps = new ParameterStore(m, false);
            // all positions at once, offset 0
            assertWeights(block.forward(ps, new NDList(x), false).head().toFloatArray(), 0, wq, wk, convention);
            // incremental: a prompt of 3, a chunk of 2 at offset 3, then single tokens at 5, 6, 7
            try (KvCache cache = block.newCache(m, 1, D)) {
                int[][] steps = {{0, 3}, {3, 5}, {5, 6}, {6, 7}, {7, 8}};
                for (int[] step : steps) {
                    NDArray chunk = x.get(new NDIndex(":, {}:{}", step[0], step[1]));
                    float[] out = block.forward(ps, chunk, null, cache, false).toFloatArray();
                    assertWeights(out, step[0], wq, wk, convention);
                }
                assertEquals(D, cache.length());
            }
        }
    }
}
