package dev.paperlab.models.reinforce;

import java.util.List;

/**
 * Discounted returns and the baselines built from returns alone (Williams 1992; Sutton &amp; Barto
 * 2018, Eq. 3.9 and Sec. 13.3-13.4).
 */
public final class Returns {
    /** float32 machine epsilon, the {@code eps} of the normalisation in pytorch/examples. */
    public static final double EPS = Math.ulp(1.0f);

    private Returns() {}

    /**
     * {@code G_t = r_{t+1} + gamma G_{t+1}}, {@code G_T = 0} (Eq. 3.9), computed backwards.
     * Example: rewards {@code [1, 1, 1]}, gamma 0.5 give {@code [1.75, 1.5, 1]}.
     */
    public static double[] discounted(double[] rewards, double gamma) {
        checkGamma(gamma);
        double[] g = new double[rewards.length];
        double running = 0;
        for (int t = rewards.length - 1; t >= 0; t--) {
            running = rewards[t] + gamma * running;
            g[t] = running;
        }
        return g;
    }

    /** Refuses a discount outside [0, 1] (NaN included). */
    public static void checkGamma(double gamma) {
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
    }

    /**
     * Leave-one-out baselines: {@code b^i_t = 1/(K-1) sum_{j != i} G^j_t}, where an episode that
     * has ended contributes {@code G^j_t = 0}.
     *
     * @param returns K >= 2 return sequences
     */
    public static double[][] leaveOneOut(List<double[]> returns) {
        int k = returns.size();
        if (k < 2) {
            throw new IllegalArgumentException("leave-one-out needs at least 2 episodes per update, got " + k);
        }
        int longest = 0;
        for (double[] g : returns) {
            longest = Math.max(longest, g.length);
        }
        double[] sum = new double[longest];
        for (double[] g : returns) {
            for (int t = 0; t < g.length; t++) {
                sum[t] += g[t];
            }
        }
        double[][] b = new double[k][];
        for (int i = 0; i < k; i++) {
            double[] g = returns.get(i);
            b[i] = new double[g.length];
            for (int t = 0; t < g.length; t++) {
                b[i][t] = (sum[t] - g[t]) / (k - 1);
            }
        }
        return b;
    }

    /** {@code (v - mean) / (std + EPS)} with the unbiased standard deviation (as torch.std). */
    public static double[] normalised(double[] v) {
        if (v.length < 2) {
            return new double[v.length]; // one value: no spread to scale by, centred to zero
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(ss / (v.length - 1));
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - mean) / (std + EPS);
        }
        return out;
    }
}
