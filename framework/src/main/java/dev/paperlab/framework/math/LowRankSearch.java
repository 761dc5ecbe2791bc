package dev.paperlab.framework.math;

import java.util.Random;

/**
 * A competitor for {@link EckartYoung}: gradient descent on {@code L(U, V) = 1/2 ||A - U V^T||_F^2}
 * over factors {@code U (m, k)}, {@code V (n, k)}, with {@code dL/dU = -(A - U V^T) V} and {@code
 * dL/dV = -(A - U V^T)^T U}. Every {@code U V^T} has rank at most k, so the theorem says it can
 * never beat the truncated SVD.
 */
public final class LowRankSearch {

    private LowRankSearch() {}

    /**
     * Runs the search from a small random start and returns the final {@code ||A - U V^T||_F}.
     *
     * @param lr step size; below {@code 1 / sigma_1(A)^2} it is stable
     */
    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters
    public static double gradientDescent(double[][] a, int k, int steps, double lr, Random random) {
        int m = a.length;
        int n = a[0].length;
        if (k < 1 || k > Math.min(m, n)) {
            throw new IllegalArgumentException("k = " + k + ", expected in [1, " + Math.min(m, n) + "]");
        }
        double[][] U = new double[m][k];
        double[][] V = new double[n][k];
        for (double[] row : U) {
            for (int c = 0; c < k; c++) {
                row[c] = 0.1 * random.nextGaussian();
            }
        }
        for (double[] row : V) {
            for (int c = 0; c < k; c++) {
                row[c] = 0.1 * random.nextGaussian();
            }
        }
        double[][] R = new double[m][n];
        for (int s = 0; s <= steps; s++) {
            residual(a, U, V, R); // R = A - U V^T
            if (s == steps) {
                break;
            }
            double[][] dU = new double[m][k];
            double[][] dV = new double[n][k];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < k; c++) {
                        dU[i][c] -= R[i][j] * V[j][c];
                        dV[j][c] -= R[i][j] * U[i][c];
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < k; c++) {
                    U[i][c] -= lr * dU[i][c];
                }
            }
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < k; c++) {
                    V[j][c] -= lr * dV[j][c];
                }
            }
        }
        double f = 0;
        for (double[] row : R) {
            for (double v : row) {
                f += v * v;
            }
        }
        return Math.sqrt(f);
    }

    @SuppressWarnings("checkstyle:ParameterName") // paper letters
    private static void residual(double[][] a, double[][] U, double[][] V, double[][] R) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                double s = 0;
                for (int c = 0; c < U[0].length; c++) {
                    s += U[i][c] * V[j][c];
                }
                R[i][j] = a[i][j] - s;
            }
        }
    }
}
