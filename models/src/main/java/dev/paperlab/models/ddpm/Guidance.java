package dev.paperlab.models.ddpm;

import ai.djl.ndarray.NDArray;
import dev.paperlab.framework.nn.Scalars;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022, "Classifier-Free Diffusion Guidance", Eq. 6):
 * one network trained with and without the class (label dropout), mixed at sampling time as
 *
 * <pre>
 *   eps~(z, c) = (1 + w) eps(z, c) - w eps(z)
 * </pre>
 *
 * w = 0 samples from the conditional model itself; w &gt; 0 pushes samples towards the class
 * (sharper, less diverse); w = -1 gives the unconditional model.
 */
public final class Guidance {
    private Guidance() {}

    /**
     * Eq. 6.
     *
     * @param conditional eps(z, c), any shape
     * @param unconditional eps(z), the same shape
     * @param w guidance strength
     * @return (1 + w) conditional - w unconditional
     */
    public static NDArray combine(NDArray conditional, NDArray unconditional, float w) {
        if (!conditional.getShape().equals(unconditional.getShape())) {
            throw new IllegalArgumentException("conditional " + conditional.getShape() + " and unconditional "
                    + unconditional.getShape() + " predictions must have the same shape");
        }
        return Scalars.mul(conditional, 1 + w).sub(Scalars.mul(unconditional, w));
    }
}
