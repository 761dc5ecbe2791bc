package dev.paperlab.examples.derive;

import static dev.paperlab.examples.derive.Derivation.f;

import dev.paperlab.framework.math.BiasVariance;
import dev.paperlab.framework.math.DoubleDescent;
import dev.paperlab.framework.math.EckartYoung;
import dev.paperlab.framework.math.KlDivergence;
import dev.paperlab.framework.math.LowRankSearch;
import dev.paperlab.framework.math.MixtureEntropy;
import dev.paperlab.framework.math.SgdConvergence;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * The checks of #14, #19, #20, #21 and #23 on {@link dev.paperlab.framework.math}, at sizes that
 * run in seconds; the tolerances are those of the unit tests, where their derivations are written.
 */
final class MathDerivations {

    private MathDerivations() {}

    /** #14: truncated SVD errors and competitors. */
    static Derivation eckartYoung(Path out, long seed) {
        Random random = new Random(seed);
        int m = 40;
        int n = 30;
        double[][] a = gaussian(m, n, random);
        double[] sigma = EckartYoung.singularValues(a);
        double maxDev = 0;
        double[] ks = Plots.range(0, n);
        double[] fro = new double[n + 1];
        double[] pred = new double[n + 1];
        double[] spec = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            EckartYoung.Truncation t = EckartYoung.truncate(a, k);
            fro[k] = t.frobeniusError();
            pred[k] = t.predictedFrobenius(k);
            spec[k] = t.spectralError();
            maxDev = Math.max(maxDev, Math.abs(fro[k] - pred[k]));
            maxDev = Math.max(maxDev, Math.abs(spec[k] - t.predictedSpectral(k)));
        }
        int k = 5;
        double best = fro[k];
        double bestCompetitor = Double.POSITIVE_INFINITY;
        for (int trial = 0; trial < 200; trial++) {
            double[][] b = product(gaussian(m, k, random), gaussian(n, k, random));
            double scale = dot(a, b) / dot(b, b); // the best multiple of a random rank-k matrix
            bestCompetitor = Math.min(bestCompetitor, EckartYoung.frobeniusDistance(a, scaled(b, scale)));
        }
        double gd = LowRankSearch.gradientDescent(a, k, 3000, 0.3 / (sigma[0] * sigma[0]), random);
        boolean pass = maxDev <= 1e-10 * sigma[0] && bestCompetitor >= best && gd >= best * (1 - 1e-10);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("max_abs_deviation", maxDev);
        d.put("k", k);
        d.put("truncated_frobenius", best);
        d.put("best_random_rank_k", bestCompetitor);
        d.put("gradient_descent", gd);
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put(".||A - A_k||_F measured", new double[][] {ks, fro});
        series.put("sqrt(sum_{i>k} sigma_i^2)", new double[][] {ks, pred});
        series.put(".||A - A_k||_2 measured", new double[][] {ks, spec});
        series.put("sigma_{k+1}", new double[][] {ks, shiftedSigma(sigma, n)});
        Plots.lines(
                out.resolve("14-eckart-young.png"),
                "Truncated SVD of a 40x30 Gaussian matrix",
                "rank k",
                "error",
                false,
                false,
                series);
        List<String> pictures = new java.util.ArrayList<>(List.of("14-eckart-young.png"));
        String appliedLine;
        try {
            int[] ranks = {1, 2, 4, 8, 16, 32, 64, 128, 400};
            LowRankVae.Result vae = LowRankVae.run(300, ranks, seed);
            double[] rk = new double[ranks.length];
            for (int i = 0; i < ranks.length; i++) {
                rk[i] = ranks[i];
            }
            Map<String, double[][]> curves = new LinkedHashMap<>();
            curves.put(".W -> W_k", new double[][] {rk, vae.lossW()});
            curves.put(".W -> W_0 + (W - W_0)_k (LoRA-style update)", new double[][] {rk, vae.lossUpdate()});
            curves.put("full rank", new double[][] {{1, 400}, {vae.full(), vae.full()}});
            curves.put("before training", new double[][] {{1, 400}, {vae.init(), vae.init()}});
            Plots.lines(
                    out.resolve("14-vae-low-rank.png"),
                    "VAE encoder fc1 (400x784) at rank k, 300 steps",
                    "rank k",
                    "test negative ELBO (nats)",
                    true,
                    false,
                    curves);
            pictures.add("14-vae-low-rank.png");
            Map<String, Object> applied = new LinkedHashMap<>();
            applied.put("data_source", vae.source());
            applied.put("ranks", ranks);
            applied.put("loss_compress_w", vae.lossW());
            applied.put("loss_compress_update", vae.lossUpdate());
            applied.put("loss_full", vae.full());
            applied.put("loss_before_training", vae.init());
            d.put("vae_applied", applied);
            appliedLine = f(
                    "; VAE fc1 400x784 at rank 16: %.2f (W_k), %.2f (update_k) vs %.2f full, %.2f untrained",
                    vae.lossW()[4], vae.lossUpdate()[4], vae.full(), vae.init());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Derivation(
                "14",
                "Eckart-Young",
                "||A - A_k||_F = sqrt(sum_{i>k} sigma_i^2), ||A - A_k||_2 = sigma_{k+1}; no rank-k matrix does better",
                f("k=%d: %.6f (Frobenius)", k, pred[k]),
                f(
                                "%.6f; max |dev| over k %.1e; best of 200 random rank-%d %.4f; gradient descent %.6f",
                                best, maxDev, k, bestCompetitor, gd)
                        + appliedLine,
                pass,
                d,
                pictures);
    }

    /** #19: KL >= 0 over random pairs, zero at equality, Jensen's step, Gaussian closed form. */
    static Derivation gibbs(long seed) {
        Random random = new Random(seed);
        double minKl = Double.POSITIVE_INFINITY;
        double maxJensenGap = Double.NEGATIVE_INFINITY; // lhs - rhs, must be <= 0
        double maxAtEquality = 0;
        for (int trial = 0; trial < 2000; trial++) {
            int n = 2 + random.nextInt(10);
            double[] p = dirichlet(n, random);
            double[] q = dirichlet(n, random);
            minKl = Math.min(minKl, KlDivergence.discrete(p, q));
            KlDivergence.JensenStep s = KlDivergence.jensenStep(p, q);
            maxJensenGap = Math.max(maxJensenGap, s.expectedLogRatio() - s.logExpectedRatio());
            maxAtEquality = Math.max(maxAtEquality, Math.abs(KlDivergence.discrete(p, p)));
        }
        // Gaussian closed form against Monte Carlo, 1-D for a short check: KL(N(0,1) || N(1, 4))
        double analytic =
                KlDivergence.gaussian(new double[] {0}, new double[][] {{1}}, new double[] {1}, new double[][] {{4}});
        int samples = 200_000;
        double mean = 0;
        double m2 = 0;
        for (int t = 0; t < samples; t++) {
            double x = random.nextGaussian();
            double v = -0.5 * x * x + 0.5 * (x - 1) * (x - 1) / 4 + Math.log(2); // log p(x) - log q(x)
            double dlt = v - mean;
            mean += dlt / (t + 1);
            m2 += dlt * (v - mean);
        }
        double se = Math.sqrt(m2 / (samples - 1) / samples);
        boolean pass = minKl >= 0 && maxJensenGap <= 1e-12 && maxAtEquality == 0 && Math.abs(mean - analytic) <= 5 * se;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pairs", 2000);
        d.put("min_kl", minKl);
        d.put("max_jensen_lhs_minus_rhs", maxJensenGap);
        d.put("max_kl_p_p", maxAtEquality);
        d.put("gaussian_closed_form", analytic);
        d.put("gaussian_monte_carlo", mean);
        d.put("gaussian_monte_carlo_se", se);
        return new Derivation(
                "19",
                "KL >= 0 (Gibbs)",
                "KL(p||q) >= 0, = 0 iff p = q; -KL = E_p log(q/p) <= log E_p(q/p) <= 0",
                f("min KL >= 0; KL(N(0,1)||N(1,4)) = %.5f", analytic),
                f(
                        "min KL %.3g over 2000 pairs, max Jensen lhs-rhs %.2g, KL(p,p) %.1g; MC %.5f +- %.5f",
                        minKl, maxJensenGap, maxAtEquality, mean, se),
                pass,
                d,
                List.of());
    }

    /** #20: two-component mixture entropy against separation, with bounds and Monte Carlo. */
    static Derivation mixtureEntropy(Path out, long seed) {
        Random random = new Random(seed);
        double[] seps = Plots.range(0, 16);
        for (int i = 0; i < seps.length; i++) {
            seps[i] *= 0.5;
        }
        int k = seps.length;
        double[][] rows = new double[7][k];
        boolean pass = true;
        double worstZ = 0;
        for (int i = 0; i < k; i++) {
            MixtureEntropy mix =
                    new MixtureEntropy(new double[] {0.5, 0.5}, new double[] {0, seps[i]}, new double[] {1, 1});
            double h = mix.quadrature(20_000);
            MixtureEntropy.Estimate mc = mix.monteCarlo(20_000, random);
            rows[0][i] = h;
            rows[1][i] = mc.value();
            rows[2][i] = mix.conditionalEntropy();
            rows[3][i] = mix.bhattacharyyaLowerBound();
            rows[4][i] = mix.klUpperBound();
            rows[5][i] = mix.jointUpperBound();
            rows[6][i] = mc.standardError();
            pass &= rows[3][i] <= h + 1e-9
                    && h <= rows[4][i] + 1e-9
                    && rows[2][i] <= rows[3][i] + 1e-9
                    && rows[4][i] <= rows[5][i] + 1e-9;
            worstZ = Math.max(worstZ, Math.abs(mc.value() - h) / mc.standardError());
        }
        // 17 comparisons at 5 standard errors: a false failure has probability < 1e-5
        pass &= worstZ <= 5;
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("quadrature (truth)", new double[][] {seps, rows[0]});
        series.put(".Monte Carlo (20k samples)", new double[][] {seps, rows[1]});
        series.put("lower: sum w_i H_i", new double[][] {seps, rows[2]});
        series.put("lower: pairwise Bhattacharyya", new double[][] {seps, rows[3]});
        series.put("upper: pairwise KL", new double[][] {seps, rows[4]});
        series.put("upper: sum w_i H_i + H(w)", new double[][] {seps, rows[5]});
        Plots.lines(
                out.resolve("20-mixture-entropy.png"),
                "Entropy of 0.5 N(0,1) + 0.5 N(d,1)",
                "separation d",
                "entropy (nats)",
                false,
                false,
                series);
        int mid = 4; // d = 2
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("separation", seps[mid]);
        d.put("quadrature", rows[0][mid]);
        d.put("monte_carlo", rows[1][mid]);
        d.put("monte_carlo_se", rows[6][mid]);
        d.put("lower_bhattacharyya", rows[3][mid]);
        d.put("upper_kl", rows[4][mid]);
        d.put("worst_mc_z", worstZ);
        return new Derivation(
                "20",
                "Gaussian-mixture entropy",
                "sum w_i H_i <= H_BD <= H <= H_KL <= sum w_i H_i + H(w) (Kolchinsky & Tracey 2017)",
                f("d=2: bounds [%.4f, %.4f], quadrature %.4f", rows[3][mid], rows[4][mid], rows[0][mid]),
                f(
                        "MC %.4f +- %.4f; bounds contain H at all %d separations; worst |MC-H|/SE %.2f",
                        rows[1][mid], 1.96 * rows[6][mid], k, worstZ),
                pass,
                d,
                List.of("20-mixture-entropy.png"));
    }

    /** #21: bias-variance identity and U-curve, and double descent. */
    static Derivation biasVariance(Path out, long seed) {
        Random random = new Random(seed);
        DoubleUnaryOperator truth = x -> Math.sin(2 * Math.PI * x);
        double[] testX = new double[40];
        for (int i = 0; i < testX.length; i++) {
            testX[i] = (i + 0.5) / testX.length;
        }
        double[][] labels = BiasVariance.labels(truth, testX, 50, 0.3, random);
        int maxDegree = 9;
        double[] degrees = Plots.range(0, maxDegree);
        double[][] rows = new double[4][maxDegree + 1];
        double worstResidual = 0;
        for (int deg = 0; deg <= maxDegree; deg++) {
            BiasVariance.Decomposition dec = BiasVariance.decompose(
                    BiasVariance.polynomialPredictions(truth, deg, 30, 100, 0.3, testX, random), labels);
            rows[0][deg] = dec.mse();
            rows[1][deg] = dec.bias2();
            rows[2][deg] = dec.variance();
            rows[3][deg] = dec.noise();
            worstResidual = Math.max(worstResidual, Math.abs(dec.residual()) / Math.max(1, dec.mse()));
        }
        int best = argmin(rows[0]);
        Map<String, double[][]> uCurve = new LinkedHashMap<>();
        uCurve.put(".test MSE", new double[][] {degrees, rows[0]});
        uCurve.put("bias^2", new double[][] {degrees, rows[1]});
        uCurve.put("variance", new double[][] {degrees, rows[2]});
        uCurve.put("noise", new double[][] {degrees, rows[3]});
        Plots.lines(
                out.resolve("21-bias-variance.png"),
                "Polynomial fits of sin(2 pi x), n = 30, 100 training sets",
                "degree",
                "squared error",
                false,
                true,
                uCurve);

        int n = 40;
        int[] p = {5, 10, 20, 30, 36, 40, 44, 50, 60, 80, 120, 200, 400};
        double[] err = DoubleDescent.testErrors(p, n, 5, 0.1, 9, 300, seed);
        int peak = argmax(err);
        double[] px = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            px[i] = p[i];
        }
        Map<String, double[][]> dd = new LinkedHashMap<>();
        dd.put("median test MSE (9 draws)", new double[][] {px, err});
        Plots.lines(
                out.resolve("21-double-descent.png"),
                "Minimum-norm least squares on p random ReLU features, n = 40",
                "features p",
                "test MSE",
                true,
                true,
                dd);
        boolean pass = worstResidual <= 1e-9
                && best > 0
                && best < maxDegree
                && Math.abs(p[peak] - n) <= n / 10
                && err[p.length - 1] < err[peak] / 10;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("max_relative_residual", worstResidual);
        d.put("best_degree", best);
        d.put("best_mse", rows[0][best]);
        d.put("double_descent_peak_p", p[peak]);
        d.put("double_descent_peak_mse", err[peak]);
        d.put("double_descent_mse_at_p400", err[p.length - 1]);
        return new Derivation(
                "21",
                "Bias-variance decomposition",
                "MSE = bias^2 + variance + noise exactly on the empirical distribution; min-norm test error peaks at p = n",
                f("residual 0; peak at p = %d", n),
                f(
                        "max |residual|/MSE %.1e; U-curve minimum at degree %d; double-descent peak at p = %d (MSE %.3g, %.3g at p=400)",
                        worstResidual, best, p[peak], err[peak], err[p.length - 1]),
                pass,
                d,
                List.of("21-bias-variance.png", "21-double-descent.png"));
    }

    /** #23: SGD rates and the bound. */
    static Derivation sgd(Path out, long seed) {
        long[] steps = {100, 300, 1000, 3000, 10_000, 30_000};
        SgdConvergence.Curve convex = SgdConvergence.convexLipschitz(10, 101, steps, 12, seed);
        SgdConvergence.Curve strong = SgdConvergence.stronglyConvex(10, 1.0, 1.0, steps, 12, seed);
        boolean boundHolds = true;
        for (long s = seed; s < seed + 3; s++) { // the bound on more random instances
            SgdConvergence.Curve c = s == seed ? convex : SgdConvergence.convexLipschitz(10, 101, steps, 12, s);
            for (int i = 0; i < steps.length; i++) {
                boundHolds &= c.suboptimality()[i] - 3 * c.standardError()[i] <= c.bound()[i];
            }
        }
        double[] ts = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            ts[i] = steps[i];
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put(".convex Lipschitz, eta ~ 1/sqrt(t)", new double[][] {ts, convex.suboptimality()});
        series.put("bound (R^2 + G^2 sum eta^2) / (2 sum eta)", new double[][] {ts, convex.bound()});
        series.put(".strongly convex, eta = 1/(mu t)", new double[][] {ts, strong.suboptimality()});
        Plots.lines(
                out.resolve("23-sgd-rates.png"),
                "SGD: f(xbar_T) - f*, mean of 12 runs",
                "T",
                "suboptimality",
                true,
                true,
                series);
        boolean pass = boundHolds && Math.abs(convex.slope() + 0.5) <= 0.2 && Math.abs(strong.slope() + 1) <= 0.15;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("convex_slope", convex.slope());
        d.put("bound_slope", SgdConvergence.logLogSlope(steps, convex.bound()));
        d.put("strongly_convex_slope", strong.slope());
        d.put("bound_holds_on_3_instances", boundHolds);
        d.put("convex_gap_at_T_max", convex.suboptimality()[steps.length - 1]);
        d.put("bound_at_T_max", convex.bound()[steps.length - 1]);
        return new Derivation(
                "23",
                "SGD convergence under convexity",
                "E f(xbar_T) - f* <= (R^2 + G^2 sum eta^2)/(2 sum eta): slope -1/2 (convex, Lipschitz), -1 (strongly convex)",
                "slopes -0.5 and -1",
                f(
                        "slopes %.3f and %.3f; bound holds on 3 instances: %s (T=3e4: %.2e <= %.2e)",
                        convex.slope(),
                        strong.slope(),
                        boundHolds,
                        convex.suboptimality()[steps.length - 1],
                        convex.bound()[steps.length - 1]),
                pass,
                d,
                List.of("23-sgd-rates.png"));
    }

    private static double[] shiftedSigma(double[] sigma, int n) {
        double[] s = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            s[k] = k < sigma.length ? sigma[k] : 0;
        }
        return s;
    }

    static double[] dirichlet(int n, Random random) {
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = -Math.log(1 - random.nextDouble());
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double[][] gaussian(int m, int n, Random random) {
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return a;
    }

    private static double[][] product(double[][] x, double[][] y) {
        double[][] b = new double[x.length][y.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                for (int c = 0; c < x[0].length; c++) {
                    b[i][j] += x[i][c] * y[j][c];
                }
            }
        }
        return b;
    }

    private static double dot(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                s += a[i][j] * b[i][j];
            }
        }
        return s;
    }

    private static double[][] scaled(double[][] a, double s) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = s * a[i][j];
            }
        }
        return c;
    }

    private static int argmin(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            b = v[i] < v[b] ? i : b;
        }
        return b;
    }

    private static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            b = v[i] > v[b] ? i : b;
        }
        return b;
    }
}
