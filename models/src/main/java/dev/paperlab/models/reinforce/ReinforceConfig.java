package dev.paperlab.models.reinforce;

import java.util.Arrays;

/**
 * The settings of a REINFORCE agent. Defaults (the CartPole recipe): gamma 0.99, learned value
 * baseline, one episode per update, normalised advantages, no entropy bonus, policy and value
 * MLPs with one hidden layer of 128, Adam 1e-2 for both.
 */
public final class ReinforceConfig {
    private final double gamma;
    private final Baseline baseline;
    private final int episodesPerUpdate;
    private final boolean normalise;
    private final double entropy;
    private final double meanDecay;
    private final float valueLearningRate;
    private final int[] hidden;

    private ReinforceConfig(Builder b) {
        gamma = b.gamma;
        baseline = b.baseline;
        episodesPerUpdate = b.episodesPerUpdate;
        normalise = b.normalise;
        entropy = b.entropy;
        meanDecay = b.meanDecay;
        valueLearningRate = b.valueLearningRate;
        hidden = b.hidden.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    public double gamma() {
        return gamma;
    }

    public Baseline baseline() {
        return baseline;
    }

    public int episodesPerUpdate() {
        return episodesPerUpdate;
    }

    public boolean normalise() {
        return normalise;
    }

    public double entropy() {
        return entropy;
    }

    public double meanDecay() {
        return meanDecay;
    }

    public float valueLearningRate() {
        return valueLearningRate;
    }

    public int[] hidden() {
        return hidden.clone();
    }

    /** Builder; {@link #build()} checks every setting and names the bad one. */
    public static final class Builder {
        private double gamma = 0.99;
        private Baseline baseline = Baseline.VALUE;
        private int episodesPerUpdate = 1;
        private boolean normalise = true;
        private double entropy;
        private double meanDecay = 0.9;
        private float valueLearningRate = 1e-2f;
        private int[] hidden = {128};

        /** Discount in [0, 1] (default 0.99). */
        public Builder optGamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        public Builder optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Episodes collected per update, K >= 1 (RLOO needs 2); default 1. */
        public Builder optEpisodesPerUpdate(int episodes) {
            this.episodesPerUpdate = episodes;
            return this;
        }

        /** Scale the advantages of an update to zero mean and unit deviation (default true). */
        public Builder optNormalise(boolean normalise) {
            this.normalise = normalise;
            return this;
        }

        /** Weight beta of the entropy bonus {@code + beta H(pi(.|s))}, >= 0 (default 0). */
        public Builder optEntropy(double entropy) {
            this.entropy = entropy;
            return this;
        }

        /** Decay of the running-mean baseline, in [0, 1) (default 0.9). */
        public Builder optMeanDecay(double decay) {
            this.meanDecay = decay;
            return this;
        }

        /** Adam learning rate of the value network (default 1e-2). */
        public Builder optValueLearningRate(float lr) {
            this.valueLearningRate = lr;
            return this;
        }

        /** Hidden layer sizes of the policy and value MLPs (default 128). */
        public Builder optHidden(int... hidden) {
            this.hidden = hidden.clone();
            return this;
        }

        public ReinforceConfig build() {
            Returns.checkGamma(gamma);
            if (baseline == null) {
                throw new IllegalArgumentException(
                        "baseline must be one of " + Arrays.toString(Baseline.values()) + ", got null");
            }
            if (episodesPerUpdate < 1) {
                throw new IllegalArgumentException("episodes per update must be >= 1, got " + episodesPerUpdate);
            }
            if (baseline == Baseline.RLOO && episodesPerUpdate < 2) {
                throw new IllegalArgumentException(
                        "baseline rloo needs at least 2 episodes per update, got " + episodesPerUpdate);
            }
            if (!(entropy >= 0) || Double.isInfinite(entropy)) {
                throw new IllegalArgumentException("entropy weight must be finite and >= 0, got " + entropy);
            }
            if (!(meanDecay >= 0 && meanDecay < 1)) {
                throw new IllegalArgumentException("mean decay must be in [0, 1), got " + meanDecay);
            }
            if (!(valueLearningRate > 0)) {
                throw new IllegalArgumentException("value learning rate must be > 0, got " + valueLearningRate);
            }
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException("hidden sizes must be >= 1, got " + Arrays.toString(hidden));
                }
            }
            return new ReinforceConfig(this);
        }
    }
}
