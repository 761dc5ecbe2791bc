package dev.paperlab.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    /** A builder that sees neither the real environment nor the system folder. */
    private FashionMnist.Builder isolated() {
        FashionMnist.Builder b = FashionMnist.builder().setSampling(4, false);
        b.envDir = null;
        b.systemDir = dir.resolve("no-system-dir");
        return b;
    }

    /** Writes a TRAIN split of n tiny 3x2 images; images gzipped, labels plain. */
    private Path writeSplit(Path folder, int n) throws IOException {
        Files.createDirectories(folder);
        IdxFiles.write(folder, "train-images-idx3-ubyte.gz", IdxFiles.gzip(IdxFiles.images(n, 3, 2)));
        IdxFiles.write(folder, "train-labels-idx1-ubyte", IdxFiles.labels(n));
        return folder;
    }

    @Test
    void missingExplicitDirIsAnArgumentError() {
        Path missing = dir.resolve("x");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> isolated().optDataDir(missing).build());
        assertEquals("data dir " + missing + " does not exist", e.getMessage());
    }

    @Test
    void explicitDirWithoutFilesListsExpectedNames() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "nothing here");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> isolated().optDataDir(dir).optUsage(Dataset.Usage.TEST).build());
        String m = e.getMessage();
        assertTrue(m.contains("t10k-images-idx3-ubyte") && m.contains("t10k-labels-idx1-ubyte"), m);
        assertTrue(m.contains("found [readme.txt"), m);
    }

    @Test
    void readsExplicitDirExactlyAsBytesOver255() throws IOException {
        writeSplit(dir, 10);
        IdxImages ref = IdxReader.readLabeled(
                dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte"));
        try (FashionMnist flat = isolated().optDataDir(dir).build();
                FashionMnist square =
                        isolated().optDataDir(dir).optFlatten(false).build()) {
            assertEquals("idx:" + dir, flat.source());
            assertEquals(FashionMnist.CLASS_NAMES, flat.classNames());
            assertEquals(10, flat.size());
            assertEquals(new Shape(10, 6), flat.dataArray().getShape());
            assertEquals(new Shape(10, 1, 3, 2), square.dataArray().getShape());
            float[] x = flat.dataArray().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals((ref.pixels()[i] & 0xff) / 255f, x[i], 0f);
            }
            float[] y = flat.labelArray().toFloatArray();
            for (int i = 0; i < 10; i++) {
                assertEquals(ref.label(i), y[i], 0f);
            }
        }
    }

    @Test
    void batchesGatherTheIndexedRows() throws IOException, TranslateException {
        writeSplit(dir, 10);
        try (FashionMnist data = isolated().optDataDir(dir).setSampling(4, true).build();
                NDManager m = NDManager.newBaseManager()) {
            int seen = 0;
            for (Batch batch : data.getData(m)) {
                try (batch) {
                    NDArray x = batch.getData().singletonOrThrow(); // (B, 6)
                    NDArray y = batch.getLabels().singletonOrThrow(); // (B)
                    int b = batch.getSize();
                    assertEquals(new Shape(b, 6), x.getShape());
                    assertEquals(new Shape(b), y.getShape());
                    List<?> idx = batch.getIndices();
                    for (int j = 0; j < b; j++) {
                        long i = (Long) idx.get(j);
                        assertArrayEquals(
                                data.dataArray().get(new NDIndex(i)).toFloatArray(),
                                x.get(j).toFloatArray());
                        assertEquals(i % 10, y.getFloat(j), 0f);
                    }
                    seen += b;
                }
            }
            assertEquals(10, seen);
        }
    }

    @Test
    void limitLoadsOnlyTheFirstImages() throws IOException {
        writeSplit(dir, 10);
        try (FashionMnist d = isolated().optDataDir(dir).optLimit(3).build()) {
            assertEquals(3, d.size());
            assertEquals(new Shape(3), d.labelArray().getShape());
        }
    }

    @Test
    void labelOutsideTheTenClassesIsAFormatError() throws IOException {
        writeSplit(dir, 4);
        byte[] bad = IdxFiles.labels(4);
        bad[8 + 2] = 12;
        Path labels = IdxFiles.write(dir, "train-labels-idx1-ubyte", bad);
        IdxFormatException e = assertThrows(
                IdxFormatException.class, () -> isolated().optDataDir(dir).build());
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("found 12 at index 2"), e.getMessage());
    }

    @Test
    void resolutionOrderEnvThenEnvSubfolderThenSystemThenProcedural() throws IOException {
        Path env = dir.resolve("env");
        Path sys = writeSplit(dir.resolve("sys"), 2);
        Files.createDirectories(env);
        Dataset.Usage train = Dataset.Usage.TRAIN;
        assertEquals(
                "idx:" + sys,
                FashionMnistSource.resolve(train, null, env.toString(), sys).description());
        Path sub = writeSplit(env.resolve("fashion-mnist"), 2);
        assertEquals(
                "idx:" + sub,
                FashionMnistSource.resolve(train, null, env.toString(), sys).description());
        writeSplit(env, 2);
        assertEquals(
                "idx:" + env,
                FashionMnistSource.resolve(train, null, env.toString(), sys).description());
        Path explicit = writeSplit(dir.resolve("explicit"), 2);
        assertEquals(
                "idx:" + explicit,
                FashionMnistSource.resolve(train, explicit, env.toString(), sys).description());
        // TEST files exist nowhere: fall back to the shapes
        assertEquals(
                "procedural-shapes",
                FashionMnistSource.resolve(Dataset.Usage.TEST, null, env.toString(), sys)
                        .description());
    }

    @Test
    void proceduralFallbackIsSeededAndHeldOut() throws IOException {
        try (FashionMnist a = isolated().optLimit(50).optSeed(5).build();
                FashionMnist b = isolated().optLimit(50).optSeed(5).build();
                FashionMnist test = isolated()
                        .optLimit(50)
                        .optSeed(5)
                        .optUsage(Dataset.Usage.TEST)
                        .build()) {
            assertEquals("procedural-shapes", a.source());
            assertTrue(a.isProcedural());
            assertEquals(ProceduralShapes.CLASS_NAMES, a.classNames());
            assertEquals(new Shape(50, 784), a.dataArray().getShape());
            assertArrayEquals(a.dataArray().toFloatArray(), b.dataArray().toFloatArray());
            assertTrue(a.dataArray().sub(test.dataArray()).abs().sum().getFloat() > 1);
        }
    }

    @Test
    void builderRejectsBadSettings() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> isolated().optUsage(Dataset.Usage.VALIDATION).build());
        assertTrue(e.getMessage().contains("VALIDATION"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> isolated().optLimit(0).build());
        assertTrue(e.getMessage().contains("was 0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> FashionMnist.builder().build());
        assertTrue(e.getMessage().contains("setSampling"), e.getMessage());
    }
}
