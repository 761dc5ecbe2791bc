package dev.paperlab.examples.derive;

import static dev.paperlab.examples.derive.Derivation.f;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.paperlab.framework.check.AttentionGradient;
import dev.paperlab.framework.check.GradientCheck;
import dev.paperlab.framework.check.SoftmaxCrossEntropyGradient;
import dev.paperlab.framework.check.SoftmaxCrossEntropyGradient.Reduction;
import dev.paperlab.framework.math.McDropout;
import dev.paperlab.framework.math.SgdConvergence;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.models.vae.GaussianMath;
import dev.paperlab.training.optim.Adam;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The six results already inside the models, checked by calling the code that uses them:
 * softmax-CE gradient (#13), Adam (#15), reparameterization (#16), attention gradient (#17), KL
 * and ELBO of the VAE (#18), attention's quadratic cost (#24).
 */
final class ModelDerivations {

    private ModelDerivations() {}

    /** #13: dL/dz = softmax(z) - y, against DJL autograd of DJL's own loss. */
    static Derivation softmaxCrossEntropy(long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            int n = 8;
            int c = 10;
            NDArray logits = Scalars.mul(manager.randomNormal(new Shape(n, c), DataType.FLOAT64), 3);
            NDArray labels = manager.randomInteger(0, c, new Shape(n), DataType.INT64);
            NDArray oneHot = labels.oneHot(c).toType(DataType.FLOAT64, false);
            SoftmaxCrossEntropyLoss djlLoss = new SoftmaxCrossEntropyLoss("ce");
            NDArray autograd = GradientCheck.autogradGradients(
                            in -> djlLoss.evaluate(new NDList(in.get(1)), new NDList(in.get(0))),
                            new NDList(logits, labels),
                            manager)
                    .get(0);
            NDArray hand = SoftmaxCrossEntropyGradient.logitsGradient(logits, oneHot, Reduction.MEAN);
            double diff = maxAbsDiff(autograd, hand);
            // float64 throughout: both sides agree to rounding (~1e-17 per entry); 1e-10 is generous
            boolean pass = diff <= 1e-10;
            return new Derivation(
                    "13",
                    "Softmax cross-entropy gradient",
                    "dL/dz = (softmax(z) - y) / N for the batch-mean loss",
                    "softmax(z) - y (hand-derived)",
                    f("max |hand - autograd| = %.2e over %dx%d logits (float64)", diff, n, c),
                    pass,
                    Map.of("max_abs_diff", diff),
                    List.of());
        }
    }

    /** #15: Adam's first step is lr in every coordinate, and it follows DJL's Adam. */
    static Derivation adam(long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            float lr = 0.01f;
            NDArray w = manager.randomNormal(new Shape(20));
            NDArray g = Scalars.mul(manager.randomNormal(new Shape(20)), 100); // any scale: the step is lr
            NDArray before = w.duplicate();
            Adam.builder().optLearningRate(lr).build().update("w", w, g);
            float[] step = w.sub(before).abs().toFloatArray();
            double firstStepDev = 0;
            for (float s : step) {
                firstStepDev = Math.max(firstStepDev, Math.abs(s - lr) / lr);
            }
            float[] ours = optimize(
                    manager,
                    Adam.builder()
                            .optLearningRate(lr)
                            .optEpsilonPlacement(Adam.EpsilonPlacement.EFFICIENT)
                            .build());
            float[] djl = optimize(
                    manager,
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build());
            double follow = 0;
            for (int i = 0; i < ours.length; i++) {
                follow = Math.max(follow, Math.abs(ours[i] - djl[i]));
            }
            // m_1/sqrt(v_1) after bias correction is g/|g| exactly; float32 rounding leaves ~1e-7
            boolean pass = firstStepDev <= 1e-5 && follow <= 1e-6;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("first_step_max_relative_deviation", firstStepDev);
            d.put("max_abs_diff_vs_djl_adam_100_steps", follow);
            return new Derivation(
                    "15",
                    "Adam (bias correction)",
                    "mhat_1 / sqrt(vhat_1) = g / |g|: the first step moves every coordinate by lr, whatever the gradient scale",
                    f("|step| = lr = %.3g", lr),
                    f("max ||step|-lr|/lr = %.1e; vs DJL Adam over 100 steps max |dw| = %.1e", firstStepDev, follow),
                    pass,
                    d,
                    List.of());
        }
    }

    private static float[] optimize(NDManager parent, Optimizer optimizer) {
        try (NDManager manager = parent.newSubManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray x = manager.randomNormal(new Shape(32, 5));
            NDArray y =
                    x.matMul(manager.create(new float[] {1, -2, 0.5f, 3, -1})).add(0.1f);
            NDArray w = manager.randomNormal(new Shape(5));
            w.setRequiresGradient(true);
            for (int i = 0; i < 100; i++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray sx = x.duplicate();
                    sx.attach(scope);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        collector.backward(sx.matMul(w).sub(y).square().mean());
                    }
                    try (NDArray grad = w.getGradient()) {
                        optimizer.update("w", w, grad);
                    }
                }
            }
            return w.toFloatArray();
        }
    }

    /** #16: reparameterized gradients of E[z^2] equal 2 mu and sigma^2 (d/dlogvar). */
    static Derivation reparameterization(long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            int n = 100_000;
            double mu0 = 0.7;
            double logvar0 = Math.log(0.5);
            NDArray mu = Scalars.mul(manager.ones(new Shape(n, 1), DataType.FLOAT64), mu0);
            NDArray logvar = Scalars.mul(manager.ones(new Shape(n, 1), DataType.FLOAT64), logvar0);
            NDArray eps = manager.randomNormal(new Shape(n, 1), DataType.FLOAT64);
            mu.setRequiresGradient(true);
            logvar.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // sum, not mean: each element's gradient is then the per-sample gradient
                collector.backward(
                        GaussianMath.reparameterize(mu, logvar, eps).square().sum());
            }
            double[] gMu = mu.getGradient().toDoubleArray();
            double[] gLv = logvar.getGradient().toDoubleArray();
            double[] mMu = meanAndSe(gMu);
            double[] mLv = meanAndSe(gLv);
            double dMu = 2 * mu0; // d/dmu (mu^2 + sigma^2)
            double dLv = Math.exp(logvar0); // d/dlogvar exp(logvar)
            // the per-sample gradients are iid with finite variance: 5 standard errors (p < 1e-6)
            boolean pass = Math.abs(mMu[0] - dMu) <= 5 * mMu[1] && Math.abs(mLv[0] - dLv) <= 5 * mLv[1];
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("d_mu_mc", mMu[0]);
            d.put("d_mu_se", mMu[1]);
            d.put("d_logvar_mc", mLv[0]);
            d.put("d_logvar_se", mLv[1]);
            return new Derivation(
                    "16",
                    "Reparameterization trick",
                    "z = mu + sigma eps: grad E[f(z)] = E[grad f(mu + sigma eps)]; for f = z^2: 2 mu and sigma^2",
                    f("d/dmu = %.4f, d/dlogvar = %.4f", dMu, dLv),
                    f("%.4f +- %.4f, %.4f +- %.4f (MC, %d samples)", mMu[0], mMu[1], mLv[0], mLv[1], n),
                    pass,
                    d,
                    List.of());
        }
    }

    /** #17: hand-derived attention gradients against autograd. */
    static Derivation attentionGradient(long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            NDArray q = manager.randomNormal(new Shape(2, 5, 8), DataType.FLOAT64);
            NDArray k = manager.randomNormal(new Shape(2, 7, 8), DataType.FLOAT64);
            NDArray v = manager.randomNormal(new Shape(2, 7, 6), DataType.FLOAT64);
            NDArray dO = manager.randomNormal(new Shape(2, 5, 6), DataType.FLOAT64);
            NDList auto = GradientCheck.autogradGradients(
                    in -> AttentionGradient.attention(in.get(0), in.get(1), in.get(2))
                            .mul(in.get(3))
                            .sum(),
                    new NDList(q, k, v, dO),
                    manager);
            AttentionGradient.Gradients hand = AttentionGradient.gradients(q, k, v, dO);
            double diff = Math.max(
                    maxAbsDiff(auto.get(0), hand.dQ()),
                    Math.max(maxAbsDiff(auto.get(1), hand.dK()), maxAbsDiff(auto.get(2), hand.dV())));
            return new Derivation(
                    "17",
                    "Attention gradients",
                    "dV = P^T dO, dP = dO V^T, dS = P * (dP - rowsum(dP * P)), dQ = dS K / sqrt(d), dK = dS^T Q / sqrt(d)",
                    "hand-derived dQ, dK, dV",
                    f("max |hand - autograd| = %.2e (float64)", diff),
                    diff <= 1e-10, // float64 rounding ~1e-16 per entry
                    Map.of("max_abs_diff", diff),
                    List.of());
        }
    }

    /** #18: the VAE's KL in closed form against Monte Carlo, and ELBO <= log p(x) with equality at the posterior. */
    static Derivation elbo(long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            double[] mu = {0.5, -1.0, 0.2};
            double[] lv = {-0.5, 0.3, -1.2};
            double kl = GaussianMath.klToStandardNormal(
                            manager.create(mu).reshape(1, 3), manager.create(lv).reshape(1, 3))
                    .getDouble(0);
            int n = 200_000;
            NDArray eps = manager.randomNormal(new Shape(n, 3), DataType.FLOAT64);
            NDArray z = GaussianMath.reparameterize(
                    manager.create(mu).reshape(1, 3).repeat(0, n),
                    manager.create(lv).reshape(1, 3).repeat(0, n),
                    eps);
            // log q(z) - log p(z) = sum_j [-1/2 eps_j^2 - 1/2 logvar_j + 1/2 z_j^2]
            NDArray ratio = Scalars.mul(eps.square().neg().add(z.square()).sub(manager.create(lv)), 0.5)
                    .sum(new int[] {1});
            double[] mc = meanAndSe(ratio.toDoubleArray());
            // conjugate model p(z) = N(0,1), p(x|z) = N(z,1): log p(x) = log N(x; 0, 2),
            // ELBO(m, s^2) = -1/2 log 2 pi - ((x - m)^2 + s^2) / 2 - KL(N(m, s^2) || N(0,1))
            double x = 1.3;
            double logPx = -0.5 * Math.log(2 * Math.PI * 2) - x * x / 4;
            double bestGap = Double.POSITIVE_INFINITY;
            double minGap = Double.POSITIVE_INFINITY;
            for (double m = -1; m <= 2.0001; m += 0.05) {
                for (double s2 = 0.1; s2 <= 1.5001; s2 += 0.05) {
                    double elbo = conjugateElbo(manager, x, m, s2);
                    minGap = Math.min(minGap, logPx - elbo);
                }
            }
            bestGap = logPx - conjugateElbo(manager, x, x / 2, 0.5); // the exact posterior N(x/2, 1/2)
            boolean pass = Math.abs(mc[0] - kl) <= 5 * mc[1] && minGap >= -1e-12 && Math.abs(bestGap) <= 1e-12;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("kl_closed_form", kl);
            d.put("kl_monte_carlo", mc[0]);
            d.put("kl_monte_carlo_se", mc[1]);
            d.put("min_log_px_minus_elbo_over_grid", minGap);
            d.put("log_px_minus_elbo_at_posterior", bestGap);
            return new Derivation(
                    "18",
                    "ELBO and Gaussian KL",
                    "KL(N(mu, s^2) || N(0, I)) = -1/2 sum (1 + log s^2 - mu^2 - s^2); log p(x) - ELBO = KL(q || p(z|x)) >= 0",
                    f("KL = %.5f; gap 0 at q = posterior", kl),
                    f(
                            "MC KL %.5f +- %.5f; min gap over 1,800 q %.2e; gap at posterior %.1e",
                            mc[0], mc[1], minGap, bestGap),
                    pass,
                    d,
                    List.of());
        }
    }

    private static double conjugateElbo(NDManager manager, double x, double m, double s2) {
        double kl = GaussianMath.klToStandardNormal(
                        manager.create(new double[] {m}).reshape(1, 1),
                        manager.create(new double[] {Math.log(s2)}).reshape(1, 1))
                .getDouble(0);
        return -0.5 * Math.log(2 * Math.PI) - ((x - m) * (x - m) + s2) / 2 - kl;
    }

    /** #24: naive attention's time grows as T^2 (it builds the T x T score matrix). */
    static Derivation attentionComplexity(Path out, long seed) {
        long[] lengths = {256, 512, 1024, 2048};
        double[] seconds = new double[lengths.length];
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            for (int i = 0; i < lengths.length; i++) {
                double[] reps = new double[5];
                for (int r = 0; r < reps.length; r++) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray q = scope.randomNormal(new Shape(1, lengths[i], 64));
                        NDArray k = scope.randomNormal(new Shape(1, lengths[i], 64));
                        NDArray v = scope.randomNormal(new Shape(1, lengths[i], 64));
                        long t0 = System.nanoTime();
                        AttentionGradient.attention(q, k, v).toFloatArray(); // forces the computation
                        reps[r] = (System.nanoTime() - t0) / 1e9;
                    }
                }
                Arrays.sort(reps);
                seconds[i] = reps[2]; // the median: robust to a busy machine
            }
        }
        double slope = SgdConvergence.logLogSlope(lengths, seconds);
        double[] ts = new double[lengths.length];
        double[] guide = new double[lengths.length];
        for (int i = 0; i < lengths.length; i++) {
            ts[i] = lengths[i];
            guide[i] = seconds[lengths.length - 1] * Math.pow((double) lengths[i] / lengths[lengths.length - 1], 2);
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put(".naive attention (median of 5)", new double[][] {ts, seconds});
        series.put("T^2", new double[][] {ts, guide});
        Plots.lines(
                out.resolve("24-attention-time.png"),
                "softmax(QK^T/sqrt(d)) V, d = 64, CPU",
                "T",
                "seconds",
                true,
                true,
                series);
        // the T^2 d multiply-adds dominate from T ~ 256 on (below, fixed per-call costs flatten the
        // slope); once the T x T scores leave the cache the slope rises above 2 (the benchmark in
        // docs/benchmarks.md measured 2.33 from T = 1024 here, and 2.7 was seen up to T = 4096 on a
        // busy machine). Hence [1.5, 2.8]: it tells quadratic from linear (1) and cubic (3).
        boolean pass = slope >= 1.5 && slope <= 2.8;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("time_slope", slope);
        d.put("seconds_at_T2048", seconds[lengths.length - 1]);
        return new Derivation(
                "24",
                "Attention complexity",
                "naive attention costs O(T^2 d) time and O(T^2) memory (the score matrix)",
                "log-log time slope 2",
                f("slope %.2f over T = 256..2048 (%.3f s at T = 2048)", slope, seconds[lengths.length - 1]),
                pass,
                d,
                List.of("24-attention-time.png"));
    }

    /** Batches of 128 for the #22 classifier: about 51 epochs of its 2000 training images. */
    static final int CLASSIFIER_STEPS = 800;
    /** Stochastic passes averaged per input. */
    static final int CLASSIFIER_PASSES = 30;
    /** Test images, and images of each OOD set, scored. */
    static final int CLASSIFIER_EVALUATED = 2000;

    /**
     * #22: MC dropout on 1-D regression (predictive variance against distance from the data) and on
     * a Fashion-MNIST classifier ({@link McDropoutClassifier}: OOD AUROC, NLL and ECE).
     */
    static Derivation mcDropout(Path out, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            java.util.Random random = new java.util.Random(seed);
            int n = 64;
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = -2 + 4 * random.nextDouble(); // data only on [-2, 2]
                ys[i] = Math.sin(2 * xs[i]) + 0.1 * random.nextGaussian();
            }
            ai.djl.nn.SequentialBlock mlp = McDropout.mlp(64, 0.1f);
            ai.djl.training.ParameterStore ps = McDropout.fit(
                    mlp, manager, McDropout.column(manager, xs), McDropout.column(manager, ys), 600, 0.01f, 1e-4f, (int)
                            seed);
            double[] grid = new double[121];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = -6 + 0.1 * i;
            }
            McDropout.Prediction p = McDropout.predict(mlp, ps, McDropout.column(manager, grid), 200);
            double vin = 0;
            double vout = 0;
            int nin = 0;
            int nout = 0;
            double[] lo = new double[grid.length];
            double[] hi = new double[grid.length];
            for (int i = 0; i < grid.length; i++) {
                double sd = Math.sqrt(p.variance()[i]);
                lo[i] = p.mean()[i] - 2 * sd;
                hi[i] = p.mean()[i] + 2 * sd;
                if (Math.abs(grid[i]) <= 2) {
                    vin += p.variance()[i];
                    nin++;
                } else if (Math.abs(grid[i]) >= 4.5) {
                    vout += p.variance()[i];
                    nout++;
                }
            }
            vin /= nin;
            vout /= nout;
            Map<String, double[][]> series = new LinkedHashMap<>();
            series.put(".training data", new double[][] {xs, ys});
            series.put("MC dropout mean (200 passes)", new double[][] {grid, p.mean()});
            series.put("mean - 2 sd", new double[][] {grid, lo});
            series.put("mean + 2 sd", new double[][] {grid, hi});
            Plots.lines(
                    out.resolve("22-mc-dropout.png"),
                    "MC dropout regression (p = 0.1), data on [-2, 2]",
                    "x",
                    "y",
                    false,
                    false,
                    series);
            // 200 passes estimate each variance to ~10%; a factor 3 is the model, not the sampling
            boolean regressionPass = vout > 3 * vin;
            McDropoutClassifier.Result c = McDropoutClassifier.run(
                    out.resolve("22-classifier-run"), seed, CLASSIFIER_STEPS, CLASSIFIER_PASSES, CLASSIFIER_EVALUATED);
            // AUROC > 0.5: OOD inputs rank above test images more often than not, scored by the
            // passes' disagreement (mutual information), the part of the uncertainty that comes from
            // the approximate posterior; the MC NLL must not exceed the deterministic pass's
            boolean oodPass = c.aurocMutualInformation().values().stream().allMatch(a -> a > 0.5);
            boolean nllPass = c.mcNll() <= c.detNll();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("variance_on_data", vin);
            d.put("variance_beyond_4_5", vout);
            d.put("ratio", vout / vin);
            d.put("regression_pass", regressionPass);
            Map<String, Object> cls = new LinkedHashMap<>();
            cls.put("data_source", c.source());
            cls.put("train_steps", c.trainSteps());
            cls.put("train_seconds", c.trainSeconds());
            cls.put("score_seconds", c.scoreSeconds());
            cls.put("passes", c.passes());
            cls.put("images_per_set", c.evaluated());
            cls.put("accuracy_mc", c.mcAccuracy());
            cls.put("accuracy_deterministic", c.detAccuracy());
            cls.put("nll_mc", c.mcNll());
            cls.put("nll_deterministic", c.detNll());
            cls.put("ece15_mc", c.mcEce());
            cls.put("ece15_deterministic", c.detEce());
            cls.put("mean_entropy", c.meanEntropy());
            cls.put("auroc_entropy", c.aurocEntropy());
            cls.put("auroc_variance", c.aurocVariance());
            cls.put("auroc_mutual_information", c.aurocMutualInformation());
            cls.put("ood_pass", oodPass);
            cls.put("nll_pass", nllPass);
            d.put("classifier", cls);
            String aurocs = c.aurocMutualInformation().entrySet().stream()
                    .map(e -> f(
                            "%s %.3f (entropy %.3f)",
                            e.getKey(), e.getValue(), c.aurocEntropy().get(e.getKey())))
                    .collect(java.util.stream.Collectors.joining(", "));
            return new Derivation(
                    "22",
                    "MC dropout (1-D regression; Fashion-MNIST classifier)",
                    "dropout at test time samples an approximate posterior: predictive variance grows away from the"
                            + " data, the passes disagree more on OOD inputs, and on a network fitted to its data"
                            + " averaging passes does not hurt NLL",
                    "regression variance ratio > 3; mutual-information AUROC > 0.5 for every OOD set;"
                            + " NLL(MC) <= NLL(det)",
                    f(
                            "regression variance %.4f on data, %.4f beyond |x| = 4.5 (ratio %.1f); classifier"
                                    + " mutual-information AUROC %s; NLL MC %.4f vs det %.4f; ECE MC %.4f vs det %.4f",
                            vin, vout, vout / vin, aurocs, c.mcNll(), c.detNll(), c.mcEce(), c.detEce()),
                    regressionPass && oodPass && nllPass,
                    d,
                    List.of("22-mc-dropout.png"));
        }
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getDouble();
    }

    private static double[] meanAndSe(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (v.length - 1) / v.length)};
    }
}
