package dev.paperlab.framework.attention;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/** Shared helpers: random inputs, error measures and autograd references. */
final class AttentionTesting {

    private AttentionTesting() {}

    static NDArray randn(NDManager manager, long... shape) {
        return manager.randomNormal(new Shape(shape));
    }

    static float maxAbsDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shapes differ: " + a.getShape() + " vs " + b.getShape());
        }
        try (NDArray d = a.sub(b).abs().max()) {
            return d.getFloat();
        }
    }

    /**
     * dL/dQ, dL/dK, dL/dV of L = sum(attention(q, k, v) * dO) by autograd through {@link
     * #reference}: the independent reference for the kernels' and the hand-written backward passes.
     */
    static NDList autogradGradients(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, NDArray dO) {
        NDArray qc = q.duplicate();
        NDArray kc = k.duplicate();
        NDArray vc = v.duplicate();
        qc.setRequiresGradient(true);
        kc.setRequiresGradient(true);
        vc.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = reference(qc, kc, vc, mask, causal);
            gc.backward(out.mul(dO).sum());
        }
        return new NDList(
                qc.getGradient().duplicate(),
                kc.getGradient().duplicate(),
                vc.getGradient().duplicate());
    }

    /**
     * softmax(q k^T / sqrt(D) + mask) v written out with elementary NDArray operations and none of
     * {@link Attention}'s helpers: key/value head h / (H / Hkv) gathered per query head, the causal
     * mask (key j visible to query i when j &lt;= i + S - T) built by Java loops, a boolean mask
     * applied with where, a float mask added.
     */
    static NDArray reference(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal) {
        NDManager manager = q.getManager();
        int heads = (int) q.getShape().get(1);
        int groups = heads / (int) k.getShape().get(1);
        int t = (int) q.getShape().get(2);
        int s = (int) k.getShape().get(2);
        NDList ks = new NDList();
        NDList vs = new NDList();
        for (int h = 0; h < heads; h++) {
            ks.add(k.get(new NDIndex(":, {}:{}", h / groups, h / groups + 1)));
            vs.add(v.get(new NDIndex(":, {}:{}", h / groups, h / groups + 1)));
        }
        NDArray kh = NDArrays.concat(ks, 1); // (B, H, S, D)
        NDArray vh = NDArrays.concat(vs, 1); // (B, H, S, D)
        NDArray scores =
                q.matMul(kh.transpose(0, 1, 3, 2)).div(Math.sqrt(q.getShape().get(3)));
        Shape scoreShape = scores.getShape(); // (B, H, T, S); DJL's where does not broadcast
        NDArray minusInf = manager.full(scoreShape, Float.NEGATIVE_INFINITY);
        if (causal) {
            boolean[] visible = new boolean[t * s];
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < s; j++) {
                    visible[i * s + j] = j <= i + s - t;
                }
            }
            NDArray visibleMask = manager.create(visible, new Shape(t, s)).broadcast(scoreShape);
            scores = NDArrays.where(visibleMask, scores, minusInf);
        }
        if (mask != null) {
            scores = mask.getDataType() == DataType.BOOLEAN
                    ? NDArrays.where(mask.broadcast(scoreShape), scores, minusInf)
                    : scores.add(mask);
        }
        return scores.softmax(-1).matMul(vh); // (B, H, T, D)
    }

    /**
     * Attention by plain Java loops in double precision, with a boolean mask [b][h][i][j] (null
     * for none): the reference that shares no code with the implementation.
     */
    static double[][][][] bruteForce(float[][][][] q, float[][][][] k, float[][][][] v, boolean[][][][] allowed) {
        double[][][][] w = bruteForceWeights(q, k, allowed);
        int groups = q[0].length / k[0].length;
        int ds = v[0][0][0].length;
        double[][][][] out = new double[q.length][q[0].length][q[0][0].length][ds];
        for (int b = 0; b < out.length; b++) {
            for (int h = 0; h < out[b].length; h++) {
                for (int i = 0; i < out[b][h].length; i++) {
                    for (int j = 0; j < w[b][h][i].length; j++) {
                        for (int d = 0; d < ds; d++) {
                            out[b][h][i][d] += w[b][h][i][j] * v[b][h / groups][j][d];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The weights softmax(q k^T / sqrt(D)) by plain Java loops in doubles, (B, H, T, S); query head
     * h meets key head h / (H / Hkv); masked entries ({@code allowed} false) are 0.
     */
    static double[][][][] bruteForceWeights(float[][][][] q, float[][][][] k, boolean[][][][] allowed) {
        int bs = q.length;
        int hs = q[0].length;
        int ts = q[0][0].length;
        int ss = k[0][0].length;
        int ds = q[0][0][0].length;
        int groups = hs / k[0].length;
        double[][][][] w = new double[bs][hs][ts][ss];
        for (int b = 0; b < bs; b++) {
            for (int h = 0; h < hs; h++) {
                int g = h / groups;
                for (int i = 0; i < ts; i++) {
                    double[] score = w[b][h][i];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < ss; j++) {
                        double dot = 0;
                        for (int d = 0; d < ds; d++) {
                            dot += (double) q[b][h][i][d] * k[b][g][j][d];
                        }
                        score[j] = dot / Math.sqrt(ds);
                        if (allowed != null && !allowed[b][h][i][j]) {
                            score[j] = Double.NEGATIVE_INFINITY;
                        }
                        max = Math.max(max, score[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < ss; j++) {
                        score[j] = Math.exp(score[j] - max);
                        sum += score[j];
                    }
                    for (int j = 0; j < ss; j++) {
                        score[j] /= sum;
                    }
                }
            }
        }
        return w;
    }

    static float[][][][] toArray4(NDArray a) {
        Shape s = a.getShape();
        float[] flat = a.toFloatArray();
        int n0 = (int) s.get(0);
        int n1 = (int) s.get(1);
        int n2 = (int) s.get(2);
        int n3 = (int) s.get(3);
        float[][][][] out = new float[n0][n1][n2][n3];
        int idx = 0;
        for (int a0 = 0; a0 < n0; a0++) {
            for (int a1 = 0; a1 < n1; a1++) {
                for (int a2 = 0; a2 < n2; a2++) {
                    for (int a3 = 0; a3 < n3; a3++) {
                        out[a0][a1][a2][a3] = flat[idx++];
                    }
                }
            }
        }
        return out;
    }

    static double maxAbsDiff(NDArray a, double[][][][] ref) {
        float[][][][] x = toArray4(a);
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref[i].length; j++) {
                for (int t = 0; t < ref[i][j].length; t++) {
                    for (int d = 0; d < ref[i][j][t].length; d++) {
                        worst = Math.max(worst, Math.abs(x[i][j][t][d] - ref[i][j][t][d]));
                    }
                }
            }
        }
        return worst;
    }
}
