package dev.paperlab.datasets.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    /** A w x h image of one RGB colour. */
    static void solid(Path file, int w, int h, int r, int g, int b) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        write(image, file);
    }

    /** A 28 x 28 grey image whose pixel (x, y) is (x * 28 + y) % 256. */
    static void gradient(Path file) throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                image.getRaster().setSample(x, y, 0, (x * 28 + y) % 256);
            }
        }
        write(image, file);
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    /** The grey level DJL's ImageFactory gives an RGB pixel, computed here from its formula. */
    static float grey(int r, int g, int b) {
        return Math.round(0.299f * r + 0.587f * g + 0.114f * b) / 255f;
    }

    private static ImageFolderDataset.Builder builder(Path dir) {
        return ImageFolderDataset.builder().setFolder(dir).setSampling(4, false).optTestFraction(0);
    }

    @Test
    void classSubFoldersGiveLabelsAndGreyImagesOfTheModelSize(@TempDir Path dir) throws IOException {
        // different sizes and colours; "boots" sorts before "coats", so it is class 0
        solid(dir.resolve("coats/a.png"), 40, 30, 200, 10, 60);
        solid(dir.resolve("coats/b.png"), 28, 28, 0, 255, 0);
        solid(dir.resolve("boots/c.png"), 7, 90, 30, 30, 30);
        Files.writeString(dir.resolve("boots/notes.txt"), "not an image, skipped");
        try (ImageFolderDataset ds = builder(dir).build()) {
            assertEquals(List.of("boots", "coats"), ds.classNames());
            assertFalse(ds.isFlat());
            assertEquals(new Shape(3, 1, 28, 28), ds.dataArray().getShape());
            assertArrayEquals(new float[] {0, 1, 1}, ds.labelArray().toFloatArray());
            float[] x = ds.dataArray().toFloatArray();
            // a solid image stays solid under bilinear resizing: every pixel is its grey level
            float[] expected = {grey(30, 30, 30), grey(200, 10, 60), grey(0, 255, 0)};
            for (int i = 0; i < 3; i++) {
                for (int p = 0; p < 784; p++) {
                    // float32 of a byte / 255: exact up to one rounding
                    assertEquals(expected[i], x[i * 784 + p], 1e-6f, "image " + i + " pixel " + p);
                }
            }
            assertEquals("images:" + dir, ds.source());
        }
    }

    @Test
    void flatFolderIsOneClassAndKeepsPixelsExactly(@TempDir Path dir) throws IOException {
        Path flat = dir.resolve("mine");
        gradient(flat.resolve("g.png"));
        solid(flat.resolve("s.png"), 28, 28, 255, 255, 255);
        try (ImageFolderDataset ds = builder(flat).optFlatten(true).build()) {
            assertTrue(ds.isFlat());
            assertEquals(List.of("mine"), ds.classNames());
            assertEquals(new Shape(2, 784), ds.dataArray().getShape());
            assertArrayEquals(new float[] {0, 0}, ds.labelArray().toFloatArray());
            float[] x = ds.dataArray().toFloatArray();
            // g.png sorts first or second depending on the file system; find it by its first pixel
            int g = x[0] == 0f ? 0 : 1;
            for (int y = 0; y < 28; y++) {
                for (int c = 0; c < 28; c++) {
                    // already 28 x 28: each value is the byte / 255 (row-major, row y, column c)
                    assertEquals(((c * 28 + y) % 256) / 255f, x[g * 784 + y * 28 + c], 1e-7f);
                }
            }
            assertEquals(1f, x[(1 - g) * 784 + 100], 1e-7f);
        }
    }

    @Test
    void colourImagesKeepThreeChannels(@TempDir Path dir) throws IOException {
        solid(dir.resolve("a.png"), 10, 10, 255, 51, 0);
        try (ImageFolderDataset ds = builder(dir).optImageShape(3, 8, 6).build()) {
            assertEquals(new Shape(1, 3, 8, 6), ds.dataArray().getShape());
            float[] x = ds.dataArray().toFloatArray();
            assertEquals(1f, x[0], 1e-7f); // R plane
            assertEquals(0.2f, x[48], 1e-7f); // G plane
            assertEquals(0f, x[96], 1e-7f); // B plane
        }
    }

    @Test
    void trainAndTestSplitTheFolderReproducibly(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 20; i++) {
            solid(dir.resolve("c" + i % 2 + "/" + i + ".png"), 28, 28, i * 10, i * 10, i * 10);
        }
        ImageFolderDataset.Builder b = ImageFolderDataset.builder()
                .setFolder(dir)
                .setSampling(4, false)
                .optTestFraction(0.25)
                .optSeed(9);
        try (ImageFolderDataset train = b.optUsage(Dataset.Usage.TRAIN).build();
                ImageFolderDataset test = b.optUsage(Dataset.Usage.TEST).build();
                ImageFolderDataset again = b.optUsage(Dataset.Usage.TEST).build()) {
            assertEquals(15, train.size());
            assertEquals(5, test.size());
            Set<Float> seen = new HashSet<>();
            for (ImageFolderDataset d : List.of(train, test)) {
                float[] x = d.dataArray().toFloatArray();
                for (int i = 0; i < d.size(); i++) {
                    assertTrue(seen.add(x[i * 784]), "an image is in both splits");
                }
            }
            assertEquals(20, seen.size());
            assertArrayEquals(test.dataArray().toFloatArray(), again.dataArray().toFloatArray());
        }
    }

    @Test
    void badFoldersAndImagesAreClearErrors(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing");
        var e = assertThrows(
                IllegalArgumentException.class, () -> builder(missing).build());
        assertEquals("image folder " + missing + " does not exist", e.getMessage());

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        e = assertThrows(IllegalArgumentException.class, () -> builder(empty).build());
        assertTrue(e.getMessage().startsWith("image folder " + empty + " holds no images"), e.getMessage());

        Path emptyClasses = dir.resolve("classes");
        Files.createDirectories(emptyClasses.resolve("a"));
        e = assertThrows(
                IllegalArgumentException.class, () -> builder(emptyClasses).build());
        assertTrue(e.getMessage().contains("in its class sub-folders [a]"), e.getMessage());

        Path broken = dir.resolve("broken");
        solid(broken.resolve("x/ok.png"), 28, 28, 1, 2, 3);
        Files.write(broken.resolve("x/zz-bad.png"), new byte[] {1, 2, 3, 4});
        e = assertThrows(IllegalArgumentException.class, () -> builder(broken).build());
        assertTrue(e.getMessage().startsWith("cannot read image " + broken.resolve("x/zz-bad.png")), e.getMessage());

        Path mixed = dir.resolve("mixed");
        solid(mixed.resolve("b/one.png"), 28, 28, 1, 2, 3);
        solid(mixed.resolve("c/two.png"), 32, 28, 1, 2, 3);
        e = assertThrows(
                IllegalArgumentException.class,
                () -> builder(mixed).optResize(false).build());
        assertEquals(
                "image " + mixed.resolve("c/two.png") + " is 32 x 28 (width x height); with resizing off"
                        + " every image in " + mixed + " must be 28 x 28",
                e.getMessage());
        // with resizing (the default) the same folder is fine
        try (ImageFolderDataset ds = builder(mixed).build()) {
            assertEquals(2, ds.size());
        }

        e = assertThrows(
                IllegalArgumentException.class,
                () -> builder(mixed).optImageShape(2, 28, 28).build());
        assertEquals("image channels must be 1 (grey) or 3 (RGB), got 2", e.getMessage());
        Path one = dir.resolve("one");
        solid(one.resolve("a.png"), 28, 28, 1, 2, 3);
        e = assertThrows(
                IllegalArgumentException.class,
                () -> builder(one).optTestFraction(0.1).build());
        assertTrue(e.getMessage().contains("has 1 image(s)"), e.getMessage());
    }
}
