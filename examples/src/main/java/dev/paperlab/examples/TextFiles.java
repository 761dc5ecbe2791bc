package dev.paperlab.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds and reads the text corpora: an explicit file, else {@code shared/data/<name>} nearby. */
final class TextFiles {
    private TextFiles() {}

    /** {@code explicit} when given (it must exist), else the first {@code shared/data/name} found. */
    static Path resolve(Path explicit, String defaultName) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new IllegalArgumentException("--input " + explicit + " does not exist or is not a file");
            }
            return explicit;
        }
        List<Path> tried = new ArrayList<>();
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            for (Path candidate : List.of(
                    dir.resolve("shared/data").resolve(defaultName),
                    dir.resolve("../shared/data").resolve(defaultName).normalize())) {
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
                tried.add(candidate);
            }
        }
        throw new IllegalArgumentException("no --input given and " + defaultName + " was not found; tried " + tried);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
