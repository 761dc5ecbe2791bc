package dev.paperlab.framework.algorithms.matching;

/**
 * Unsupervised clustering accuracy: the fraction of samples whose predicted cluster maps to their
 * true label under the best one-to-one map between cluster ids and labels,
 * {@code ACC = max_s (1/N) sum_n 1[truth_n = s(pred_n)]}, with {@code s} found by the Hungarian
 * method on the {@code K_pred x K_true} contingency table (as used to score VAE and
 * contrastive-learning clusterings). Clusters left without a label count as wrong.
 */
public final class ClusteringMetrics {
    private ClusteringMetrics() {}

    /** Best-permutation accuracy in [0, 1]; labels must be non-negative ints. */
    public static double clusteringAccuracy(int[] predicted, int[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(
                    "predicted has " + predicted.length + " labels, truth has " + truth.length);
        }
        if (predicted.length == 0) {
            throw new IllegalArgumentException("clustering accuracy of zero samples is undefined");
        }
        int kPred = 1 + maxLabel("predicted", predicted);
        int kTrue = 1 + maxLabel("truth", truth);
        double[][] counts = new double[kPred][kTrue];
        for (int n = 0; n < predicted.length; n++) {
            counts[predicted[n]][truth[n]]++;
        }
        Assignment best = Hungarian.maximize(counts);
        return best.cost() / predicted.length;
    }

    private static int maxLabel(String what, int[] labels) {
        int max = 0;
        for (int n = 0; n < labels.length; n++) {
            if (labels[n] < 0) {
                throw new IllegalArgumentException(what + "[" + n + "] = " + labels[n] + " is negative");
            }
            max = Math.max(max, labels[n]);
        }
        return max;
    }
}
