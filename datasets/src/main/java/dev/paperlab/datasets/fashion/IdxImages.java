package dev.paperlab.datasets.fashion;

/**
 * Images read from an idx3 file: {@code count} images of {@code rows x cols} unsigned bytes, stored
 * image after image in row-major order, optionally with one label per image from an idx1 file.
 *
 * @param count number of images N
 * @param rows image height H
 * @param cols image width W
 * @param pixels N*H*W unsigned bytes (read with {@code & 0xff}), image-major then row-major
 * @param labels N unsigned label bytes, or {@code null} when read without labels
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels, byte[] labels) {

    /**
     * Returns one pixel as an int in 0..255.
     *
     * @param image image index in 0..N-1
     * @param row row in 0..H-1
     * @param col column in 0..W-1
     * @return the pixel value
     */
    public int pixel(int image, int row, int col) {
        return pixels[(image * rows + row) * cols + col] & 0xff;
    }

    /**
     * Returns one label as an int in 0..255.
     *
     * @param image image index in 0..N-1
     * @return the label value
     */
    public int label(int image) {
        return labels[image] & 0xff;
    }
}
