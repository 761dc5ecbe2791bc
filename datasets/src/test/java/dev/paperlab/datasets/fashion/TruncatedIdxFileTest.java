package dev.paperlab.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A truncated Fashion-MNIST file fails the dataset build with an {@link IdxFormatException} that
 * names the file, the bytes its header declares and the bytes it has.
 */
class TruncatedIdxFileTest {

    @TempDir
    Path dir;

    private FashionMnist.Builder isolated() {
        FashionMnist.Builder b = FashionMnist.builder().setSampling(4, false).optDataDir(dir);
        b.envDir = null;
        b.systemDir = dir.resolve("no-system-dir");
        return b;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "\"" + message + "\" lacks \"" + part + "\"");
        }
    }

    @ParameterizedTest(name = "gzip {0}")
    @ValueSource(booleans = {false, true})
    void truncatedImagesNameTheFileTheDeclaredAndThePresentBytes(boolean gzip) throws IOException {
        // the train split's header, 60000 x 28 x 28, followed by only 1234 bytes of pixels
        byte[] cut = IdxFiles.concat(IdxFiles.header(IdxReader.IMAGES_MAGIC, 60_000, 28, 28), new byte[1234]);
        Path images =
                IdxFiles.write(dir, "train-images-idx3-ubyte" + (gzip ? ".gz" : ""), gzip ? IdxFiles.gzip(cut) : cut);
        IdxFiles.write(dir, "train-labels-idx1-ubyte", IdxFiles.labels(60_000));
        IdxFormatException e =
                assertThrows(IdxFormatException.class, () -> isolated().build());
        assertEquals(images, e.file());
        assertMentions(
                e.getMessage(),
                images.toString(),
                "truncated",
                "60000 images",
                "47040000 data bytes",
                "only 1234 bytes");
    }

    @Test
    void truncatedLabelsNameTheirFile() throws IOException {
        IdxFiles.write(dir, "train-images-idx3-ubyte", IdxFiles.images(20, 28, 28));
        Path labels = IdxFiles.write(
                dir, "train-labels-idx1-ubyte.gz", IdxFiles.gzip(Arrays.copyOf(IdxFiles.labels(20), 8 + 7)));
        IdxFormatException e =
                assertThrows(IdxFormatException.class, () -> isolated().build());
        assertEquals(labels, e.file());
        assertMentions(e.getMessage(), labels.toString(), "20 labels", "20 data bytes", "only 7 bytes");
    }

    @Test
    void gzipStreamBrokenOffInsideThePixelsSaysHowFarItGot() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(1000, 28, 28));
        Path images = IdxFiles.write(dir, "train-images-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length / 2));
        IdxFiles.write(dir, "train-labels-idx1-ubyte", IdxFiles.labels(1000));
        IdxFormatException e =
                assertThrows(IdxFormatException.class, () -> isolated().build());
        assertEquals(images, e.file());
        assertMentions(
                e.getMessage(),
                images.toString(),
                "truncated or corrupt gzip stream",
                "1000 images",
                "784000 data bytes",
                "breaks off after");
        Matcher after = Pattern.compile("breaks off after (\\d+) of them").matcher(e.getMessage());
        assertTrue(after.find(), e.getMessage());
        long got = Long.parseLong(after.group(1));
        assertTrue(got > 0 && got < 784_000, "bytes before the break " + got);
    }
}
