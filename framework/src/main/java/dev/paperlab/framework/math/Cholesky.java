package dev.paperlab.framework.math;

/**
 * The Cholesky factor {@code S = L L^T} of a symmetric positive definite matrix, with a message
 * that names the matrix and the pivot that failed.
 */
final class Cholesky {

    private Cholesky() {}

    /**
     * The lower-triangular factor of {@code s}.
     *
     * @throws IllegalArgumentException when {@code s} is not k x k, not symmetric, or not positive
     *     definite
     */
    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters
    static double[][] factor(String name, double[][] s, int k) {
        if (s.length != k) {
            throw new IllegalArgumentException("covariance " + name + " has " + s.length + " rows, expected " + k);
        }
        for (int i = 0; i < k; i++) {
            if (s[i].length != k) {
                throw new IllegalArgumentException(
                        "covariance " + name + " row " + i + " has " + s[i].length + " entries, expected " + k);
            }
            for (int j = 0; j < i; j++) {
                double scale = Math.max(1, Math.max(Math.abs(s[i][j]), Math.abs(s[j][i])));
                if (!(Math.abs(s[i][j] - s[j][i]) <= 1e-12 * scale)) {
                    throw new IllegalArgumentException("covariance " + name + " is not symmetric: [" + i + "][" + j
                            + "] = " + s[i][j] + " but [" + j + "][" + i + "] = " + s[j][i]);
                }
            }
        }
        double[][] L = new double[k][k];
        for (int j = 0; j < k; j++) {
            double d = s[j][j];
            for (int c = 0; c < j; c++) {
                d -= L[j][c] * L[j][c];
            }
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("covariance " + name + " is not positive definite (Cholesky pivot "
                        + j + " is " + d + ", expected > 0)");
            }
            L[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < k; i++) {
                double v = s[i][j];
                for (int c = 0; c < j; c++) {
                    v -= L[i][c] * L[j][c];
                }
                L[i][j] = v / L[j][j];
            }
        }
        return L;
    }

    /** Solves {@code L x = b} by forward substitution. */
    @SuppressWarnings("checkstyle:ParameterName") // paper letters
    static double[] solveLower(double[][] L, double[] b) {
        int k = b.length;
        double[] x = new double[k];
        for (int i = 0; i < k; i++) {
            double v = b[i];
            for (int c = 0; c < i; c++) {
                v -= L[i][c] * x[c];
            }
            x[i] = v / L[i][i];
        }
        return x;
    }

    /** {@code log det S = 2 sum_i log L_ii}. */
    @SuppressWarnings("checkstyle:ParameterName") // paper letters
    static double logDet(double[][] L) {
        double s = 0;
        for (int i = 0; i < L.length; i++) {
            s += Math.log(L[i][i]);
        }
        return 2 * s;
    }
}
