package dev.paperlab.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProceduralShapesTest {

    private static final int P = ProceduralShapes.SIZE * ProceduralShapes.SIZE;

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        ProceduralShapes.Drawn a = ProceduralShapes.generate(300, 7);
        ProceduralShapes.Drawn b = ProceduralShapes.generate(300, 7);
        ProceduralShapes.Drawn c = ProceduralShapes.generate(300, 8);
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
    }

    @Test
    void pixelsInUnitRangeLabelsBalancedAndEveryShapeVisible() {
        ProceduralShapes.Drawn d = ProceduralShapes.generate(1000, 3);
        int[] counts = new int[10];
        for (int i = 0; i < d.size(); i++) {
            counts[d.labels()[i]]++;
            double ink = 0;
            for (int p = 0; p < P; p++) {
                float v = d.pixels()[i * P + p];
                assertTrue(v >= 0 && v <= 1, "pixel " + v);
                ink += v;
            }
            // the thinnest shape (a short bar) still covers at least ~10 full pixels
            assertTrue(ink > 5, "image " + i + " of class " + d.labels()[i] + " has ink " + ink);
        }
        int[] expected = new int[10];
        Arrays.fill(expected, 100);
        assertArrayEquals(expected, counts);
    }

    @Test
    void nearestClassMeanSeparatesHeldOutShapes() {
        ProceduralShapes.Drawn train = ProceduralShapes.generate(5000, 1);
        ProceduralShapes.Drawn test = ProceduralShapes.generate(2000, 2);
        double[][] mean = new double[10][P];
        int[] n = new int[10];
        for (int i = 0; i < train.size(); i++) {
            int y = train.labels()[i];
            n[y]++;
            for (int p = 0; p < P; p++) {
                mean[y][p] += train.pixels()[i * P + p];
            }
        }
        for (int k = 0; k < 10; k++) {
            for (int p = 0; p < P; p++) {
                mean[k][p] /= n[k];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int k = 0; k < 10; k++) {
                double dist = 0;
                for (int p = 0; p < P; p++) {
                    double diff = test.pixels()[i * P + p] - mean[k][p];
                    dist += diff * diff;
                }
                if (dist < bestD) {
                    bestD = dist;
                    best = k;
                }
            }
            correct += best == test.labels()[i] ? 1 : 0;
        }
        double accuracy = correct / (double) test.size();
        System.out.printf("nearest class-mean accuracy on held-out shapes: %.3f%n", accuracy);
        assertTrue(accuracy > 0.8, "accuracy " + accuracy);
    }

    @Test
    void fullSizeIsGenerated() {
        long t0 = System.nanoTime();
        ProceduralShapes.Drawn train = ProceduralShapes.generate(ProceduralShapes.TRAIN_SIZE, 0);
        ProceduralShapes.Drawn test = ProceduralShapes.generate(ProceduralShapes.TEST_SIZE, 1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("procedural 60000 + 10000 images: %.2f s%n", seconds);
        assertEquals(70_000, train.size() + test.size());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ProceduralShapes.generate(-1, 0));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ProceduralShapes.draw(10, new java.util.SplittableRandom(0), new float[P], 0));
        assertTrue(e.getMessage().contains("was 10"));
    }
}
