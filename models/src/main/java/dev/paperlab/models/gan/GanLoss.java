package dev.paperlab.models.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.paperlab.framework.nn.Scalars;

/**
 * The two players' losses, each a function of the discriminator's raw outputs {@code a = D(x)}
 * (logits; sigma is the logistic function, so the paper's D(x) is sigma(a)). Both players
 * minimise; batch means stand for expectations.
 *
 * <pre>
 *   NS       (Goodfellow et al. 2014, §3)  L_D = E_x softplus(-a(x)) + E_z softplus(a(G(z)))
 *                                          L_G = E_z softplus(-a(G(z)))          = -E log D(G(z))
 *   MINIMAX  (Goodfellow et al. 2014, Eq. 1) L_D as NS
 *                                          L_G = -E_z softplus(a(G(z)))          =  E log(1 - D(G(z)))
 *   LS       (Mao et al. 2017, Eq. 2, a=0 b=1 c=1)
 *                                          L_D = 1/2 E_x (a(x) - 1)^2 + 1/2 E_z a(G(z))^2
 *                                          L_G = 1/2 E_z (a(G(z)) - 1)^2
 *   HINGE    (Lim &amp; Ye 2017, Eq. 5-6)    L_D = E_x relu(1 - a(x)) + E_z relu(1 + a(G(z)))
 *                                          L_G = -E_z a(G(z))
 * </pre>
 *
 * <p>softplus(-a) = -log sigma(a) and softplus(a) = -log(1 - sigma(a)), so L_D of NS/minimax is
 * -V(D, G) of Eq. 1. Non-saturating is the default: when D confidently rejects fakes (a &lt;&lt; 0)
 * the minimax generator gradient sigma(a) vanishes while the non-saturating one 1 - sigma(a) does
 * not (the paper's §3 motivation).
 */
public enum GanLoss {
    /** Non-saturating: G maximises log D(G(z)). */
    NS,
    /** The original minimax game: G minimises log(1 - D(G(z))). */
    MINIMAX,
    /** Least squares (LSGAN) on the raw output. */
    LS,
    /** Hinge loss on the raw output. */
    HINGE;

    /**
     * The discriminator's loss.
     *
     * @param real D's raw outputs on real data, shape (B, 1)
     * @param fake D's raw outputs on generated data, shape (B', 1)
     * @return a scalar
     */
    public NDArray discriminator(NDArray real, NDArray fake) {
        return switch (this) {
            case NS, MINIMAX -> softplus(real.neg()).mean().add(softplus(fake).mean());
            case LS ->
                Scalars.mul(real.sub(1f).square().mean().add(fake.square().mean()), 0.5);
            case HINGE ->
                Scalars.maximum(real.neg().add(1f), 0)
                        .mean()
                        .add(Scalars.maximum(fake.add(1f), 0).mean());
        };
    }

    /**
     * The generator's loss.
     *
     * @param fake D's raw outputs on generated data, shape (B, 1)
     * @return a scalar
     */
    public NDArray generator(NDArray fake) {
        return switch (this) {
            case NS -> softplus(fake.neg()).mean();
            case MINIMAX -> softplus(fake).mean().neg();
            case LS -> Scalars.mul(fake.sub(1f).square().mean(), 0.5);
            case HINGE -> fake.mean().neg();
        };
    }

    /**
     * softplus(x) = log(1 + e^x), the engine's one fused kernel and its derivative sigma(x)
     * (libtorch: log1p(exp(x)), and x itself above 20 where the two agree in float32).
     */
    static NDArray softplus(NDArray x) {
        return Activation.softPlus(x);
    }

    /** Parses a name as the command line gives it ({@code ns}, {@code minimax}, {@code ls}, {@code hinge}). */
    public static GanLoss parse(String name) {
        for (GanLoss l : values()) {
            if (l.name().equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown GAN loss '" + name + "': expected one of ns, minimax, ls, hinge");
    }
}
