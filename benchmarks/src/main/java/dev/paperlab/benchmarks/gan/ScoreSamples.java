package dev.paperlab.benchmarks.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.paperlab.models.eval.FashionClassifier;
import dev.paperlab.models.eval.ImageScores;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Scores generated Fashion-MNIST images saved by another framework (a NumPy {@code .npz} with an
 * array {@code samples}, float32 {@code (N, 1, 28, 28)} or {@code (N, 784)} in [-1, 1], tanh's
 * range) with the same feature map as {@code gan --data fashion-mnist}: the fixed-seed {@link
 * FashionClassifier} and {@link ImageScores} against the 10,000 test images. So a PyTorch twin's
 * samples and ours get one Fréchet distance and one class coverage (see {@code
 * benchmarks/scripts/gan_fashion_vs_pytorch.sh}).
 *
 * <p>Usage: {@code ScoreSamples WORK_DIR FILE.npz...}; prints one line per file: {@code RESULT
 * file=F frechet=X class_coverage=C histogram=[...]}.
 */
public final class ScoreSamples {
    private ScoreSamples() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: ScoreSamples WORK_DIR FILE.npz..., got " + args.length + " argument(s)");
        }
        try (ImageScores scores = ImageScores.create(Path.of(args[0]).resolve("classifier"), null);
                NDManager manager = NDManager.newBaseManager()) {
            System.out.printf(
                    "classifier test accuracy %.4f%n", scores.classifier().testAccuracy());
            for (int i = 1; i < args.length; i++) {
                Path file = Path.of(args[i]);
                try (NDManager scope = manager.newSubManager();
                        InputStream in = Files.newInputStream(file)) {
                    NDList list = NDList.decode(scope, in);
                    NDArray samples = list.get("samples");
                    if (samples == null) {
                        StringBuilder names = new StringBuilder();
                        list.forEach(a ->
                                names.append(names.length() == 0 ? "" : ", ").append(a.getName()));
                        throw new IllegalArgumentException(file + " has no array 'samples', only [" + names + "]");
                    }
                    ImageScores.Score s = scores.score(FashionClassifier.fromTanh(samples));
                    System.out.printf(
                            "RESULT file=%s frechet=%.4f class_coverage=%d histogram=%s%n",
                            file,
                            s.frechet(),
                            s.coverage().covered(),
                            Arrays.toString(s.coverage().histogram()).replace(" ", ""));
                }
            }
        }
    }
}
