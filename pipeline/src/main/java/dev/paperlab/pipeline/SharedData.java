package dev.paperlab.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds {@code shared/data/<name>} in the working folder or up to three folders above it. */
final class SharedData {
    private SharedData() {}

    static Path find(String name) {
        List<Path> tried = new ArrayList<>();
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new IllegalArgumentException(name + " was not found; tried " + tried);
    }
}
