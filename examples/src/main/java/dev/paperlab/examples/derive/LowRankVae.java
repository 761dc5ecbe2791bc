package dev.paperlab.examples.derive;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.framework.math.EckartYoung;
import dev.paperlab.models.vae.GaussianMath;
import dev.paperlab.models.vae.Vae;
import dev.paperlab.models.vae.VaeLoss;
import java.util.Random;

/**
 * Eckart-Young applied (#14): the MLP VAE (784-400-20) trained briefly on Fashion-MNIST, then its
 * encoder's first weight matrix W (400 x 784) replaced by a rank-k approximation, either of W
 * itself or of its training update {@code W_0 + (W - W_0)_k} — LoRA's premise (Hu et al. 2021) is
 * that such updates have low intrinsic rank. Returns the test negative ELBO per k.
 */
final class LowRankVae {

    /** Test losses for each k: compressing W, compressing the update; and the full model's loss. */
    record Result(int[] ranks, double[] lossW, double[] lossUpdate, double full, double init, String source) {}

    private LowRankVae() {}

    static Result run(int steps, int[] ranks, long seed) throws java.io.IOException {
        try (NDManager manager = NDManager.newBaseManager();
                FashionMnist train = data(Dataset.Usage.TRAIN, seed);
                FashionMnist test = data(Dataset.Usage.TEST, seed)) {
            Engine.getInstance().setRandomSeed((int) seed);
            Vae vae = Vae.builder().build();
            vae.initialize(manager, DataType.FLOAT32, vae.inputShape(1));
            Parameter w = null;
            for (Pair<String, Parameter> p : vae.getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
                if (p.getValue().getArray().getShape().equals(new Shape(400, 784))) {
                    w = w == null ? p.getValue() : w; // the encoder's fc1 comes first
                }
            }
            if (w == null) {
                throw new IllegalStateException("no 400x784 weight in the VAE");
            }
            float[] w0 = w.getArray().toFloatArray();
            NDArray xTrain = train.dataArray();
            NDArray xTest = test.dataArray().get(new NDIndex("0:2000"));
            NDArray epsTest = manager.randomNormal(new Shape(2000, vae.getLatentSize())); // common to every k
            double init = loss(vae, manager, xTest, epsTest);
            ParameterStore ps = new ParameterStore(manager, false);
            Optimizer adam = Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed(1e-3f))
                    .build();
            Random random = new Random(seed);
            long n = xTrain.getShape().get(0);
            for (int s = 0; s < steps; s++) {
                try (NDManager scope = manager.newSubManager()) {
                    long[] idx = new long[128];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i] = random.nextInt((int) n);
                    }
                    NDArray x = xTrain.get(scope.create(idx));
                    x.attach(scope);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDList enc = vae.encode(ps, x, true);
                        NDArray eps = scope.randomNormal(enc.get(0).getShape());
                        NDArray z = GaussianMath.reparameterize(enc.get(0), enc.get(1), eps);
                        NDArray logits = vae.decodeLogits(ps, z, true);
                        gc.backward(VaeLoss.negativeElbo(logits, x, enc.get(0), enc.get(1))
                                .mean());
                    }
                    for (Pair<String, Parameter> p : vae.getParameters()) {
                        NDArray a = p.getValue().getArray();
                        try (NDArray g = a.getGradient()) {
                            adam.update(p.getValue().getId(), a, g);
                        }
                    }
                }
            }
            float[] trained = w.getArray().toFloatArray();
            double full = loss(vae, manager, xTest, epsTest);
            double[][] wMat = matrix(trained, null);
            double[][] update = matrix(trained, w0);
            double[] lossW = new double[ranks.length];
            double[] lossUpdate = new double[ranks.length];
            double[][][] wk = EckartYoung.truncations(wMat, ranks);
            double[][][] uk = EckartYoung.truncations(update, ranks);
            for (int i = 0; i < ranks.length; i++) {
                w.getArray().set(flat(wk[i], null));
                lossW[i] = loss(vae, manager, xTest, epsTest);
                w.getArray().set(flat(uk[i], w0));
                lossUpdate[i] = loss(vae, manager, xTest, epsTest);
            }
            w.getArray().set(trained);
            return new Result(ranks, lossW, lossUpdate, full, init, train.source());
        }
    }

    private static FashionMnist data(Dataset.Usage usage, long seed) throws java.io.IOException {
        return FashionMnist.builder()
                .optUsage(usage)
                .optFlatten(true)
                .optSeed(seed)
                .setSampling(128, false)
                .build();
    }

    /** Test negative ELBO per example with fixed noise. */
    private static double loss(Vae vae, NDManager manager, NDArray x, NDArray eps) {
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDList enc = vae.encode(ps, x, false);
            NDArray z = GaussianMath.reparameterize(enc.get(0), enc.get(1), eps);
            NDArray logits = vae.decodeLogits(ps, z, false);
            return VaeLoss.negativeElbo(logits, x, enc.get(0), enc.get(1))
                    .mean()
                    .getFloat();
        }
    }

    /** (400, 784) row-major as doubles; minus {@code base} when given. */
    private static double[][] matrix(float[] w, float[] base) {
        double[][] m = new double[400][784];
        for (int r = 0; r < 400; r++) {
            for (int c = 0; c < 784; c++) {
                int i = r * 784 + c;
                m[r][c] = w[i] - (base == null ? 0 : base[i]);
            }
        }
        return m;
    }

    private static float[] flat(double[][] m, float[] base) {
        float[] f = new float[400 * 784];
        for (int r = 0; r < 400; r++) {
            for (int c = 0; c < 784; c++) {
                int i = r * 784 + c;
                f[i] = (float) (m[r][c] + (base == null ? 0 : base[i]));
            }
        }
        return f;
    }
}
