package dev.paperlab.models.reinforce;

/**
 * One rollout: the observation before each step {@code s_t}, the action taken {@code a_t}, and
 * the reward that followed {@code r_{t+1}}; all of length T.
 */
public record Episode(double[][] observations, int[] actions, double[] rewards) {
    public Episode {
        if (observations.length != actions.length || actions.length != rewards.length) {
            throw new IllegalArgumentException("episode arrays must have one length, got observations "
                    + observations.length + ", actions " + actions.length + ", rewards " + rewards.length);
        }
    }

    /** T. */
    public int length() {
        return actions.length;
    }

    /** The undiscounted return, sum of the rewards. */
    public double total() {
        double s = 0;
        for (double r : rewards) {
            s += r;
        }
        return s;
    }
}
