package dev.paperlab.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks against the files of the Debian package, which the build requires (CI installs it). */
class FashionMnistDebianTest {

    private static final Path SYSTEM = Path.of(FashionMnist.SYSTEM_DIR_NAME);

    @BeforeAll
    static void requireDebianFiles() {
        for (Dataset.Usage usage : new Dataset.Usage[] {Dataset.Usage.TRAIN, Dataset.Usage.TEST}) {
            for (String name : FashionMnistSource.fileNames(usage)) {
                Path plain = SYSTEM.resolve(name);
                if (!Files.isRegularFile(plain) && !Files.isRegularFile(SYSTEM.resolve(name + ".gz"))) {
                    fail("Fashion-MNIST file " + plain + "(.gz) is missing: install the Debian"
                            + " package with `sudo apt-get install dataset-fashion-mnist` (as .ci/run does)");
                }
            }
        }
    }

    private static void checkSplit(Dataset.Usage usage, int n) throws IOException {
        long t0 = System.nanoTime();
        try (FashionMnist d = FashionMnist.builder()
                .setSampling(128, false)
                .optUsage(usage)
                .optDataDir(SYSTEM)
                .build()) {
            System.out.printf("load %s: %.2f s%n", usage, (System.nanoTime() - t0) / 1e9);
            assertEquals("idx:" + SYSTEM, d.source());
            assertEquals(n, d.size());
            NDArray x = d.dataArray();
            assertEquals(new Shape(n, 784), x.getShape());
            assertEquals(0f, x.min().getFloat(), 0f);
            assertEquals(1f, x.max().getFloat(), 0f);
            float[] labels = d.labelArray().toFloatArray();
            int[] histogram = new int[10];
            for (float y : labels) {
                histogram[(int) y]++;
            }
            int[] expected = new int[10];
            Arrays.fill(expected, n / 10);
            assertArrayEquals(expected, histogram);
        }
    }

    @Test
    void trainSplitHas6000PerClass() throws IOException {
        checkSplit(Dataset.Usage.TRAIN, 60_000);
    }

    @Test
    void testSplitHas1000PerClass() throws IOException {
        checkSplit(Dataset.Usage.TEST, 10_000);
    }

    /** Shuffled epochs at batch 128 through DJL's bulk batching path (time printed, not asserted). */
    @Test
    void shuffledEpochsOfBatchesCoverTheSplit() throws IOException, TranslateException {
        try (FashionMnist d = FashionMnist.builder()
                        .setSampling(128, true)
                        .optDataDir(SYSTEM)
                        .build();
                NDManager m = NDManager.newBaseManager()) {
            double best = Double.MAX_VALUE;
            for (int epoch = 0; epoch < 3; epoch++) {
                long t0 = System.nanoTime();
                long images = 0;
                double checksum = 0;
                for (Batch batch : d.getData(m)) {
                    try (batch) {
                        images += batch.getSize();
                        if (images <= 128) {
                            checksum += batch.getData().head().sum().getFloat(); // touch the data once
                        }
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                best = Math.min(best, seconds);
                System.out.printf("epoch %d: %d images in %.3f s%n", epoch, images, seconds);
                assertEquals(60_000, images);
                assertTrue(checksum > 0);
            }
            System.out.printf("best epoch: %.3f s%n", best);
        }
    }

    /** The real t10k images, cut after 5000 pixel bytes, plain and gzip, beside the real labels. */
    @Test
    void aTruncatedCopyOfTheRealImagesFailsNamingTheBytes(@TempDir Path dir) throws IOException {
        byte[] full;
        try (InputStream in = IdxReader.open(SYSTEM.resolve("t10k-images-idx3-ubyte.gz"))) {
            full = in.readAllBytes();
        }
        byte[] cut = Arrays.copyOf(full, 16 + 5000);
        for (boolean gzip : new boolean[] {false, true}) {
            Path folder = Files.createDirectories(dir.resolve(gzip ? "gz" : "plain"));
            String labels = "t10k-labels-idx1-ubyte.gz";
            Files.copy(SYSTEM.resolve(labels), folder.resolve(labels));
            Path images = folder.resolve("t10k-images-idx3-ubyte" + (gzip ? ".gz" : ""));
            Files.write(images, gzip ? gzip(cut) : cut);
            IdxFormatException e = assertThrows(
                    IdxFormatException.class,
                    () -> FashionMnist.builder()
                            .setSampling(128, false)
                            .optUsage(Dataset.Usage.TEST)
                            .optDataDir(folder)
                            .build());
            assertEquals(images, e.file());
            String m = e.getMessage();
            assertTrue(m.contains(images.toString()) && m.contains("10000 images"), m);
            assertTrue(m.contains("7840000 data bytes") && m.contains("only 5000 bytes"), m);
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
