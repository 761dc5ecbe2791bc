package dev.paperlab.framework.adapters;

/** How the down-projection {@code A} of a LoRA adapter starts; {@code B} always starts at zero. */
public enum LoraInit {
    /**
     * {@code A ~ U(-1/sqrt(in), 1/sqrt(in))}: PyTorch's default for {@code nn.Linear} (Kaiming
     * uniform with {@code a = sqrt(5)}), as used by the reference implementation.
     */
    KAIMING_UNIFORM,

    /** {@code A ~ N(0, (1/r)^2)}: the paper's "random Gaussian initialization". */
    GAUSSIAN
}
