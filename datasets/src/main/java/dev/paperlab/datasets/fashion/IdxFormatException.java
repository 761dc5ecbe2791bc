package dev.paperlab.datasets.fashion;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An IDX file that is not what its header or its role says: wrong magic number, fewer bytes than
 * the header promises, trailing bytes, or image and label files that disagree. The message always
 * names the file, what was expected and what was found.
 */
public final class IdxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Path file;

    /**
     * Creates an exception for {@code file}.
     *
     * @param file the offending file
     * @param message what was expected and what was found
     */
    public IdxFormatException(Path file, String message) {
        super("IDX file " + file + ": " + message);
        this.file = file;
    }

    /**
     * Creates an exception for {@code file} caused by a lower-level failure (e.g. a broken gzip
     * stream).
     *
     * @param file the offending file
     * @param message what was expected and what was found
     * @param cause the underlying failure
     */
    public IdxFormatException(Path file, String message, Throwable cause) {
        super("IDX file " + file + ": " + message, cause);
        this.file = file;
    }

    /**
     * Returns the offending file.
     *
     * @return the file named in the message
     */
    public Path file() {
        return file;
    }
}
