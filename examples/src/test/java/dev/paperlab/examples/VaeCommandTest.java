package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vae --images DIR}: the user's own pictures, with class sub-folders or flat. */
class VaeCommandTest {

    /** {@code count} noisy pictures of {@code w x h}: a bright square (class a) or a stripe (class b). */
    static void pictures(Path dir, String kind, int count, int w, int h, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean on = kind.equals("a")
                            ? x > w / 4 && x < 3 * w / 4 && y > h / 4 && y < 3 * h / 4
                            : x > w / 3 && x < w / 2;
                    int v = Math.min(255, (on ? 200 : 20) + random.nextInt(40));
                    image.setRGB(x, y, (v << 16) | (v << 8) | (v / 2));
                }
            }
            ImageIO.write(image, "png", dir.resolve(kind + i + ".png").toFile());
        }
    }

    @Test
    void trainsOnClassSubFolders(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("pictures");
        pictures(images.resolve("squares"), "a", 30, 40, 36, 1);
        pictures(images.resolve("stripes"), "b", 30, 28, 28, 2);
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "vae",
                "--images",
                images.toString(),
                "--variant",
                "conv",
                "--steps",
                "4",
                "--batch-size",
                "16",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        assertEquals("images:" + images, s.get("data_source"));
        assertEquals(4, ((Number) s.get("steps")).intValue());
        assertTrue(Double.isFinite(((Number) s.get("test_loss")).doubleValue()), s.toString());
        // 54 training images: k-NN with k = 10, and a clustering score over the 2 classes
        assertTrue(s.containsKey("latent_knn10_accuracy"), s.toString());
        assertTrue(s.containsKey("latent_cluster_accuracy"), s.toString());
        for (String file : List.of("metrics.csv", "reconstructions.png", "samples.png", "loss.png")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
    }

    @Test
    void trainsOnAFlatFolderAtAnotherSize(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("flat");
        pictures(images, "a", 12, 50, 50, 3);
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "vae",
                "--images",
                images.toString(),
                "--image-size",
                "16",
                "--steps",
                "3",
                "--batch-size",
                "4",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        assertEquals(3, ((Number) s.get("steps")).intValue());
        // one class: no latent class scores
        assertTrue(s.keySet().stream().noneMatch(k -> k.toString().startsWith("latent_")), s.toString());
        BufferedImage samples = ImageIO.read(out.resolve("samples.png").toFile());
        assertEquals(8 * (16 * 2 + 2) + 2, samples.getWidth()); // 8 columns of 16-pixel images at zoom 2
    }

    @Test
    void resumesMidEpochOnAnImageFolderLikeAStraightRun(@TempDir Path dir) throws Exception {
        Path images = dir.resolve("pictures");
        pictures(images.resolve("squares"), "a", 20, 28, 28, 5);
        pictures(images.resolve("stripes"), "b", 20, 28, 28, 6);
        // 36 training images in batches of 8: 5 steps an epoch, the checkpoint at step 3 is mid-epoch
        List<String> common = List.of(
                "vae",
                "--images",
                images.toString(),
                "--batch-size",
                "8",
                "--hidden",
                "32",
                "--latent",
                "4",
                "--epochs",
                "2",
                "--no-progress");
        Path straight = dir.resolve("straight");
        assertEquals(
                0, run(common, "--steps", "8", "--out", straight.toString()).code());
        Path resumed = dir.resolve("resumed");
        CommandRun first = run(common, "--steps", "3", "--checkpoint-every", "3", "--out", resumed.toString());
        assertEquals(0, first.code(), first.err());
        CommandRun second = run(common, "--steps", "8", "--resume", "--out", resumed.toString());
        assertEquals(0, second.code(), second.err());
        Map<?, ?> a = CommandRun.summary(straight);
        Map<?, ?> b = CommandRun.summary(resumed);
        for (String key : List.of("steps", "train_loss", "train_recon", "train_kl", "test_loss")) {
            assertEquals(a.get(key), b.get(key), key);
        }
    }

    private static CommandRun run(List<String> common, String... more) {
        List<String> args = new java.util.ArrayList<>(common);
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    @Test
    void badImageFoldersExitWithCodeTwo(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        CommandRun o = CommandRun.of(
                "vae", "--images", empty.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("image folder " + empty + " holds no images"), o.err());

        Path broken = dir.resolve("broken");
        pictures(broken, "a", 3, 28, 28, 4);
        Files.write(broken.resolve("zz.png"), new byte[] {0, 1, 2});
        o = CommandRun.of(
                "vae", "--images", broken.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("cannot read image " + broken.resolve("zz.png")), o.err());

        o = CommandRun.of(
                "vae",
                "--images",
                broken.toString(),
                "--variant",
                "conv",
                "--image-size",
                "30",
                "--out",
                dir.resolve("o").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("30 x 30 must be divisible by 4"), o.err());
    }
}
