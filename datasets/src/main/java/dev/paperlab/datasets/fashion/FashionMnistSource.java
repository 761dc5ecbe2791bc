package dev.paperlab.datasets.fashion;

import ai.djl.training.dataset.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where {@link FashionMnist} takes its images from, resolved in a fixed order (see {@link
 * #resolve}). Kept apart from the dataset so the order can be tested without touching the real
 * environment.
 *
 * @param images the idx3 images file, or {@code null} for procedural shapes
 * @param labels the idx1 labels file, or {@code null} for procedural shapes
 * @param description {@code "idx:<dir>"} or {@code "procedural-shapes"}
 */
record FashionMnistSource(Path images, Path labels, String description) {

    /** The description of the procedural fallback. */
    static final String PROCEDURAL = "procedural-shapes";

    /** The procedural fallback. */
    static FashionMnistSource procedural() {
        return new FashionMnistSource(null, null, PROCEDURAL);
    }

    boolean isProcedural() {
        return images == null;
    }

    /**
     * Resolves the source for one split.
     *
     * <ol>
     *   <li>{@code explicitDir} when given: it must exist and hold the files, else an {@link
     *       IllegalArgumentException} says which files were expected;
     *   <li>{@code envDir} (the value of {@code PAPERLAB_DATA}) or its {@code fashion-mnist}
     *       sub-folder, when it holds the files;
     *   <li>{@code systemDir} (the Debian package's folder) when it holds the files;
     *   <li>otherwise procedural shapes. Downloading is not attempted: paperlab runs offline, and
     *       a download would only be worth trying when {@code ai.djl.offline} is not "true".
     * </ol>
     *
     * @param usage TRAIN or TEST
     * @param explicitDir a directory given by the caller, or null
     * @param envDir the {@code PAPERLAB_DATA} value, or null
     * @param systemDir the system-wide folder
     * @return the resolved source
     */
    static FashionMnistSource resolve(Dataset.Usage usage, Path explicitDir, String envDir, Path systemDir) {
        if (explicitDir != null) {
            if (!Files.isDirectory(explicitDir)) {
                throw new IllegalArgumentException("data dir " + explicitDir + " does not exist");
            }
            FashionMnistSource found = find(usage, explicitDir);
            if (found == null) {
                throw new IllegalArgumentException("data dir "
                        + explicitDir
                        + " lacks the Fashion-MNIST "
                        + usage
                        + " files: expected "
                        + String.join(" and ", fileNames(usage))
                        + " (each plain or .gz), found ["
                        + listing(explicitDir)
                        + "]");
            }
            return found;
        }
        if (envDir != null && !envDir.isBlank()) {
            Path env = Path.of(envDir);
            for (Path dir : List.of(env, env.resolve("fashion-mnist"))) {
                FashionMnistSource found = find(usage, dir);
                if (found != null) {
                    return found;
                }
            }
        }
        FashionMnistSource system = find(usage, systemDir);
        return system != null ? system : procedural();
    }

    /** The two base file names of a split (images first). */
    static List<String> fileNames(Dataset.Usage usage) {
        String prefix;
        if (usage == Dataset.Usage.TRAIN) {
            prefix = "train";
        } else if (usage == Dataset.Usage.TEST) {
            prefix = "t10k";
        } else {
            throw new IllegalArgumentException(
                    "usage must be TRAIN or TEST (Fashion-MNIST has no " + usage + " split)");
        }
        return List.of(prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte");
    }

    private static FashionMnistSource find(Dataset.Usage usage, Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        List<String> names = fileNames(usage);
        Path images = existing(dir, names.get(0));
        Path labels = existing(dir, names.get(1));
        if (images == null || labels == null) {
            return null;
        }
        return new FashionMnistSource(images, labels, "idx:" + dir);
    }

    private static Path existing(Path dir, String name) {
        for (String candidate : List.of(name, name + ".gz")) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private static String listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.joining(", "));
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
