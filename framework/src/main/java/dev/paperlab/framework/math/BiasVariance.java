package dev.paperlab.framework.math;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The bias-variance decomposition (#21; Geman, Bienenstock &amp; Doursat 1992). At a test point x,
 * over predictions {@code yhat_b} (one per training set b = 1..B) and independent labels {@code y_r}
 * (r = 1..R), both uniform and independent of each other:
 *
 * <pre>
 *   E[(yhat - y)^2] = (E yhat - E y)^2 + Var(yhat) + Var(y)        (bias^2 + variance + noise)
 * </pre>
 *
 * <p>since the cross terms {@code 2 E[(yhat - E yhat)(E yhat - E y)]}, {@code 2 E[(E yhat - E y)(E y
 * - y)]} and {@code 2 E[(yhat - E yhat)(E y - y)]} vanish: the first two because a centred variable
 * has mean zero, the third because {@code yhat} and {@code y} are independent. On the empirical
 * (product) distribution every expectation is an exact finite average, so the identity holds to
 * rounding; {@link #decompose} computes both sides separately. {@link #polynomialPredictions}
 * makes the ensemble: least-squares polynomials (Legendre basis on [0, 1]) on resampled noisy
 * training sets.
 */
public final class BiasVariance {

    private BiasVariance() {}

    /**
     * The averaged decomposition over test points.
     *
     * @param mse {@code E[(yhat - y)^2]}, computed directly
     * @param bias2 {@code (E yhat - E y)^2}
     * @param variance {@code Var(yhat)}
     * @param noise {@code Var(y)}
     */
    public record Decomposition(double mse, double bias2, double variance, double noise) {
        /** {@code mse - (bias2 + variance + noise)}: zero up to rounding. */
        public double residual() {
            return mse - (bias2 + variance + noise);
        }
    }

    /**
     * Decomposes the mean squared error averaged over T test points.
     *
     * @param predictions {@code [B][T]}: prediction of model b at test point t
     * @param labels {@code [T][R]}: R noisy labels at test point t
     */
    public static Decomposition decompose(double[][] predictions, double[][] labels) {
        int b = predictions.length;
        int t = labels.length;
        if (b == 0 || t == 0 || predictions[0].length != t) {
            throw new IllegalArgumentException("predictions must be [B][T] and labels [T][R] with B, T > 0, got "
                    + b + " prediction rows of " + (b == 0 ? 0 : predictions[0].length) + " and " + t
                    + " label rows");
        }
        double mse = 0;
        double bias2 = 0;
        double variance = 0;
        double noise = 0;
        for (int j = 0; j < t; j++) {
            double[] y = labels[j];
            double meanHat = 0;
            for (double[] p : predictions) {
                meanHat += p[j];
            }
            meanHat /= b;
            double meanY = mean(y);
            double varHat = 0;
            double err = 0;
            for (double[] p : predictions) {
                varHat += (p[j] - meanHat) * (p[j] - meanHat);
                for (double yr : y) {
                    err += (p[j] - yr) * (p[j] - yr); // the left side, straight from its definition
                }
            }
            double varY = 0;
            for (double yr : y) {
                varY += (yr - meanY) * (yr - meanY);
            }
            mse += err / ((double) b * y.length);
            bias2 += (meanHat - meanY) * (meanHat - meanY);
            variance += varHat / b;
            noise += varY / y.length;
        }
        return new Decomposition(mse / t, bias2 / t, variance / t, noise / t);
    }

    /**
     * Predictions at {@code testX} of B least-squares polynomials of one degree, each fitted to
     * its own training set of n points {@code x ~ U[0, 1]}, {@code y = f(x) + noiseSd * N(0, 1)}.
     * Underdetermined fits (degree + 1 > n) take the minimum-norm solution.
     *
     * @return {@code [B][T]}
     */
    public static double[][] polynomialPredictions(
            DoubleUnaryOperator f, int degree, int n, int models, double noiseSd, double[] testX, Random random) {
        if (degree < 0 || n < 1 || models < 1) {
            throw new IllegalArgumentException("degree " + degree + ", n " + n + ", models " + models
                    + ": expected degree >= 0, n >= 1, models >= 1");
        }
        double[][] out = new double[models][];
        DMatrixRMaj test = legendre(testX, degree);
        for (int b = 0; b < models; b++) {
            double[] x = new double[n];
            DMatrixRMaj y = new DMatrixRMaj(n, 1);
            for (int i = 0; i < n; i++) {
                x[i] = random.nextDouble();
                y.set(i, 0, f.applyAsDouble(x[i]) + noiseSd * random.nextGaussian());
            }
            DMatrixRMaj coef = MinimumNorm.solve(legendre(x, degree), y);
            DMatrixRMaj pred = new DMatrixRMaj(testX.length, 1);
            CommonOps_DDRM.mult(test, coef, pred);
            out[b] = pred.data.clone();
        }
        return out;
    }

    /** R labels {@code f(x_t) + noiseSd * N(0, 1)} at each test point: {@code [T][R]}. */
    public static double[][] labels(DoubleUnaryOperator f, double[] testX, int r, double noiseSd, Random random) {
        double[][] y = new double[testX.length][r];
        for (int t = 0; t < testX.length; t++) {
            for (int j = 0; j < r; j++) {
                y[t][j] = f.applyAsDouble(testX[t]) + noiseSd * random.nextGaussian();
            }
        }
        return y;
    }

    /** Design matrix of Legendre polynomials P_0..P_degree at {@code 2x - 1} (well conditioned on [0, 1]). */
    static DMatrixRMaj legendre(double[] x, int degree) {
        DMatrixRMaj a = new DMatrixRMaj(x.length, degree + 1);
        for (int i = 0; i < x.length; i++) {
            double u = 2 * x[i] - 1;
            double prev = 1;
            double cur = u;
            a.set(i, 0, 1);
            for (int k = 1; k <= degree; k++) {
                a.set(i, k, cur);
                double next = ((2 * k + 1) * u * cur - k * prev) / (k + 1); // Bonnet's recursion
                prev = cur;
                cur = next;
            }
        }
        return a;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
