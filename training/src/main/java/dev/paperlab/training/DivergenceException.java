package dev.paperlab.training;

/** Thrown when a run produces a non-finite metric or parameter; names the step and metric. */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DivergenceException(String message) {
        super(message);
    }
}
