package dev.paperlab.models.reinforce;

/**
 * What REINFORCE subtracts from the return before weighting {@code grad log pi(a_t|s_t)}
 * (Williams 1992, Eq. 10's reinforcement baseline {@code b_ij}; Sutton et al. 2000, Sec. 3).
 * Any baseline that does not depend on the action {@code a_t} leaves the gradient's expectation
 * unchanged, since {@code E_a[grad log pi(a|s)] = 0}, and a good one lowers its variance.
 */
public enum Baseline {
    /** {@code A_t = G_t}. */
    NONE,
    /** {@code A_t = G_t - b}, b an exponential moving average of earlier updates' mean return. */
    MEAN,
    /** {@code A_t = G_t - V(s_t)}, V a learned value network fit to the returns (advantage form). */
    VALUE,
    /**
     * Leave-one-out over the K episodes of one update (Ahmadian et al. 2024, RLOO; Kool et al.
     * 2019): {@code A^i_t = G^i_t - 1/(K-1) sum_{j != i} G^j_t}, with {@code G^j_t = 0} after
     * episode j ended. Needs K >= 2.
     */
    RLOO;

    /** The name in lower case, as options and summaries spell it. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
