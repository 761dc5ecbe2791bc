package dev.paperlab.training;

/**
 * Runs between a part's backward pass and its optimizer update: clip, inspect or rescale the
 * gradients of {@link TrainedPart#model()}'s parameters in place. See {@link TrainedPart#update}.
 */
@FunctionalInterface
public interface GradientHook {

    /** The hook that does nothing. */
    GradientHook NONE = part -> {};

    /** Called once per update, after backward and before the optimizer reads the gradients. */
    void beforeUpdate(TrainedPart part);

    /**
     * Clips the part's gradients to global L2 norm {@code maxNorm} ({@link
     * Gradients#clipGlobalNorm}); {@code maxNorm <= 0} gives {@link #NONE}.
     */
    static GradientHook clipGlobalNorm(double maxNorm) {
        if (!(maxNorm > 0)) {
            return NONE;
        }
        return part -> Gradients.clipGlobalNorm(part.model().getBlock(), maxNorm);
    }
}
