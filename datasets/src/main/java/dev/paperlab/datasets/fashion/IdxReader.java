package dev.paperlab.datasets.fashion;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for the IDX format of LeCun et al. (1998), used by MNIST and Fashion-MNIST (Xiao, Rasul
 * and Vollgraf, 2017).
 *
 * <p>An IDX file is a big-endian header followed by the raw items:
 *
 * <pre>
 *   magic   int32  0x0000TTDD   TT = 0x08 (unsigned byte), DD = number of dimensions
 *   dim_0   int32  N            number of items
 *   dim_k   int32               further dimensions (rows, cols for idx3)
 *   data    N * prod(dim_k) bytes
 * </pre>
 *
 * so images (idx3) have magic {@value #IMAGES_MAGIC} and labels (idx1) {@value #LABELS_MAGIC}.
 * Files may be gzip-compressed; compression is detected from the gzip magic bytes {@code 1f 8b},
 * not from the file name. Every inconsistency raises an {@link IdxFormatException} naming the
 * file, the expected and the found value; trailing bytes after the declared items are an error
 * too, because they mean the header and the data disagree.
 */
public final class IdxReader {

    /** Magic number of an idx3 unsigned-byte file (images): 0x00000803. */
    public static final int IMAGES_MAGIC = 0x0803;

    /** Magic number of an idx1 unsigned-byte file (labels): 0x00000801. */
    public static final int LABELS_MAGIC = 0x0801;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private IdxReader() {}

    /**
     * Reads an idx3 image file, plain or gzip.
     *
     * @param file the idx3 file
     * @return the images, with {@code labels() == null}
     * @throws IdxFormatException if the file is not a consistent idx3 unsigned-byte file
     * @throws IOException if the file cannot be read
     */
    public static IdxImages readImages(Path file) throws IOException {
        int[] dims = new int[3];
        byte[] pixels = read(file, IMAGES_MAGIC, "images", dims);
        return new IdxImages(dims[0], dims[1], dims[2], pixels, null);
    }

    /**
     * Reads an idx1 label file, plain or gzip.
     *
     * @param file the idx1 file
     * @return one unsigned byte per item
     * @throws IdxFormatException if the file is not a consistent idx1 unsigned-byte file
     * @throws IOException if the file cannot be read
     */
    public static byte[] readLabels(Path file) throws IOException {
        return read(file, LABELS_MAGIC, "labels", new int[1]);
    }

    /**
     * Reads an image file and its label file and checks that they hold the same number of items.
     *
     * @param imagesFile the idx3 file
     * @param labelsFile the idx1 file
     * @return images with labels
     * @throws IdxFormatException if either file is corrupt or their counts differ
     * @throws IOException if a file cannot be read
     */
    public static IdxImages readLabeled(Path imagesFile, Path labelsFile) throws IOException {
        IdxImages images = readImages(imagesFile);
        byte[] labels = readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new IdxFormatException(
                    labelsFile,
                    "expected "
                            + images.count()
                            + " labels to match the images in "
                            + imagesFile
                            + " but found "
                            + labels.length);
        }
        return new IdxImages(images.count(), images.rows(), images.cols(), images.pixels(), labels);
    }

    /**
     * Returns whether the file starts with the gzip magic bytes {@code 1f 8b}.
     *
     * @param file the file to inspect
     * @return true for a gzip stream
     * @throws IOException if the file cannot be read
     */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1;
        }
    }

    /** Opens the file, decompressing on the fly when it is a gzip stream. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
        raw.reset();
        try {
            // no buffer on top: GZIPInputStream returns what it inflated before a broken stream ends,
            // which a BufferedInputStream would drop; the data is read in large blocks anyway
            return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            raw.close();
            throw new IdxFormatException(file, "corrupt gzip header (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads header and data; fills {@code dims} with the declared dimensions (N first).
     *
     * @return the N * prod(dims[1..]) data bytes
     */
    private static byte[] read(Path file, int magic, String what, int[] dims) throws IOException {
        int headerBytes = 4 + 4 * dims.length;
        try (DataInputStream in = new DataInputStream(open(file))) {
            byte[] header = in.readNBytes(headerBytes);
            if (header.length < 4) {
                throw new IdxFormatException(
                        file,
                        "expected a " + headerBytes + "-byte header but the file has " + header.length + " bytes");
            }
            int found = readInt(header, 0);
            if (found != magic) {
                throw new IdxFormatException(
                        file,
                        String.format(
                                "expected magic number %d (0x%08x, %s) but found %d (0x%08x)",
                                magic, magic, what, found, found));
            }
            if (header.length < headerBytes) {
                throw new IdxFormatException(
                        file,
                        "expected a " + headerBytes + "-byte header but the file has " + header.length + " bytes");
            }
            long total = 1;
            StringBuilder shape = new StringBuilder();
            for (int k = 0; k < dims.length; k++) {
                dims[k] = readInt(header, 4 + 4 * k);
                if (dims[k] < 0) {
                    throw new IdxFormatException(
                            file, "expected non-negative dimension " + k + " but found " + dims[k]);
                }
                total *= dims[k];
                shape.append(k == 0 ? "" : "x").append(dims[k]);
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(
                        file,
                        "header declares shape " + shape + " = " + total + " bytes, more than one array can hold");
            }
            String declared = dims[0] + " " + what + " (shape " + shape + ", " + total + " data bytes)";
            byte[] data = readData(in, (int) total, file, declared);
            if (data.length < total) {
                long itemBytes = dims[0] == 0 ? 0 : total / dims[0];
                throw new IdxFormatException(
                        file,
                        "truncated: header declares " + declared + " but only " + data.length
                                + " bytes follow the header ("
                                + (itemBytes == 0 ? 0 : data.length / itemBytes)
                                + " complete items)");
            }
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw new IdxFormatException(
                        file,
                        "header declares " + dims[0] + " " + what + " (" + total + " data bytes) but " + extra
                                + " more bytes follow them");
            }
            return data;
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(file, "corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads up to {@code total} bytes, fewer where the file ends; the buffer grows as bytes arrive,
     * so a header that declares too much costs no memory. A gzip stream that breaks off inside the
     * data is reported with the bytes it gave.
     */
    private static byte[] readData(InputStream in, int total, Path file, String declared) throws IOException {
        byte[] data = new byte[Math.min(total, 1 << 20)];
        int got = 0;
        try {
            while (got < total) {
                if (got == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
                }
                int n = in.read(data, got, data.length - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(
                    file,
                    "truncated or corrupt gzip stream: header declares " + declared
                            + " but the stream breaks off after " + got + " of them (" + e.getMessage() + ")",
                    e);
        }
        return got == data.length ? data : Arrays.copyOf(data, got);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
