package dev.paperlab.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzipIdenticallyWhateverTheName() throws IOException {
        byte[] body = IdxFiles.images(3, 4, 5);
        Path plain = IdxFiles.write(dir, "a-idx3-ubyte", body);
        // gzip detected by magic bytes: a misleading name must not matter
        Path gz = IdxFiles.write(dir, "b-idx3-ubyte", IdxFiles.gzip(body));
        assertFalse(IdxReader.isGzip(plain));
        assertTrue(IdxReader.isGzip(gz));

        IdxImages a = IdxReader.readImages(plain);
        IdxImages b = IdxReader.readImages(gz);
        assertEquals(3, a.count());
        assertEquals(4, a.rows());
        assertEquals(5, a.cols());
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(Arrays.copyOfRange(body, 16, body.length), a.pixels());
        assertEquals((2 * 7 + 3 * 3 + 4) & 0xff, a.pixel(2, 3, 4));
    }

    @Test
    void readsLabelsAndPairs() throws IOException {
        Path x = IdxFiles.write(dir, "x.gz", IdxFiles.gzip(IdxFiles.images(12, 2, 2)));
        Path y = IdxFiles.write(dir, "y", IdxFiles.labels(12));
        IdxImages both = IdxReader.readLabeled(x, y);
        assertEquals(12, both.labels().length);
        assertEquals(11 % 10, both.label(11));
    }

    @Test
    void badMagicNamesFileExpectedAndFound() throws IOException {
        // a labels file given where images are expected
        Path f = IdxFiles.write(dir, "swapped", IdxFiles.labels(4));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected magic number 2051"), e.getMessage());
        assertTrue(e.getMessage().contains("found 2049"), e.getMessage());
        assertEquals(f, e.file());
    }

    @Test
    void truncatedDataSaysDeclaredAndPresentBytes() throws IOException {
        byte[] full = IdxFiles.images(10, 28, 28);
        byte[] cut = Arrays.copyOf(full, 16 + 3 * 784 + 100);
        for (Path f : new Path[] {IdxFiles.write(dir, "cut", cut), IdxFiles.write(dir, "cut.gz", IdxFiles.gzip(cut))}) {
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f));
            String m = e.getMessage();
            assertTrue(m.contains(f.toString()), m);
            assertTrue(m.contains("header declares 10 images"), m);
            assertTrue(m.contains((10 * 784) + " data bytes"), m);
            assertTrue(m.contains("only " + (3 * 784 + 100) + " bytes"), m);
            assertTrue(m.contains("3 complete items"), m);
        }
    }

    @Test
    void truncatedHeader() throws IOException {
        Path f = IdxFiles.write(dir, "short", Arrays.copyOf(IdxFiles.images(1, 2, 2), 9));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("expected a 16-byte header but the file has 9"), e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        Path f = IdxFiles.write(dir, "long", IdxFiles.concat(IdxFiles.labels(5), new byte[3]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().contains("header declares 5 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("3 more bytes"), e.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path x = IdxFiles.write(dir, "x", IdxFiles.images(6, 2, 2));
        Path y = IdxFiles.write(dir, "y", IdxFiles.labels(5));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabeled(x, y));
        String m = e.getMessage();
        assertTrue(m.contains(y.toString()) && m.contains(x.toString()), m);
        assertTrue(m.contains("expected 6 labels"), m);
        assertTrue(m.contains("found 5"), m);
    }

    @Test
    void corruptGzipStream() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(50, 28, 28));
        byte[] broken = Arrays.copyOf(gz, gz.length / 2); // stream ends mid-deflate
        Path f = IdxFiles.write(dir, "broken.gz", broken);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void negativeDimension() throws IOException {
        Path f = IdxFiles.write(dir, "neg", IdxFiles.header(IdxReader.IMAGES_MAGIC, -1, 28, 28));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("found -1"), e.getMessage());
    }
}
