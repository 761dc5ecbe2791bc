package dev.paperlab.datasets.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.framework.nn.TorchOps;

/**
 * Bilinear resampling of a batch of single-channel images through one affine map per example,
 * with zeros outside the image, computed batched on the engine: one gather of the four neighbour
 * pixels from the zero-padded image, and their weights.
 *
 * <p>It is PyTorch's {@code grid_sample(x, affine_grid(theta), mode="bilinear",
 * align_corners=False)} with one change at the rim: the image covers {@code [-0.5, W - 0.5]} in
 * pixel coordinates, a point inside it but beyond the outermost pixel centres reads the edge
 * pixel (as {@code padding_mode="border"}), and only a point outside the image reads zero (as
 * {@code "zeros"}). So a crop inside the image never mixes in padding (a constant image stays
 * constant), while rotation and translation still move content out and zeros in.
 *
 * <p>Output pixel {@code (u, v)} sits at normalised coordinates {@code x_o = (2v + 1)/W - 1},
 * {@code y_o = (2u + 1)/H - 1}; {@code theta} (two rows {@code [a b c]}) maps it to the source
 * point {@code x_s = a x_o + b y_o + c}, read at pixel coordinates {@code p_x = ((x_s + 1) W -
 * 1)/2}. Bilinear interpolation weighs the four neighbouring pixels by the triangle kernel {@code
 * k(d) = max(0, 1 - |d|)} in each axis:
 *
 * <pre>
 *   out(u, v) = sum_{i in {y0, y0+1}} sum_{j in {x0, x0+1}} k(p_y - i) k(p_x - j) x(i, j)
 *   x0 = floor(p_x), y0 = floor(p_y)
 * </pre>
 *
 * <p>and a neighbour outside the image gets weight zero, which is the zero padding.
 *
 * <p>On the PyTorch engine the sum is libtorch's {@code grid_sampler_2d} kernel ({@link
 * TorchOps#gridSample}), given the source points with the rim moved onto the edge pixel centres
 * {@code +-(1 - 1/W)}; elsewhere it is the gather below. Both equal the formula above.
 *
 * <p>Legend: N batch, H/W height/width, P = H*W output pixels.
 */
public final class AffineResampler {
    private AffineResampler() {}

    /**
     * Resamples {@code images} through {@code theta}.
     *
     * @param images (N, H, W) or (N, 1, H, W)
     * @param theta (N, 2, 3): rows {@code [a b c]} for x and y, as PyTorch's {@code affine_grid}
     * @return the resampled images, in the shape of {@code images}
     */
    @SuppressWarnings("checkstyle:LocalVariableName")
    public static NDArray resample(NDArray images, NDArray theta) {
        return resample(images, theta, TorchOps.accepts(images));
    }

    /** {@link #resample} through libtorch's kernel ({@code fused}) or the engine-neutral gather. */
    @SuppressWarnings("checkstyle:LocalVariableName")
    static NDArray resample(NDArray images, NDArray theta, boolean fused) {
        Shape s = images.getShape();
        boolean channel = s.dimension() == 4;
        if (!(s.dimension() == 3 || (channel && s.get(1) == 1))) {
            throw new IllegalArgumentException("images must be (N, H, W) or (N, 1, H, W), got " + s);
        }
        long n = s.get(0);
        int H = (int) s.get(s.dimension() - 2);
        int W = (int) s.get(s.dimension() - 1);
        if (!theta.getShape().equals(new Shape(n, 2, 3))) {
            throw new IllegalArgumentException("theta must be (" + n + ", 2, 3), got " + theta.getShape());
        }
        NDManager m = images.getManager();
        DataType type = images.getDataType();
        int p = H * W;
        float[] grid = new float[3 * p]; // rows x_o, y_o, 1 for every output pixel
        for (int u = 0; u < H; u++) {
            for (int v = 0; v < W; v++) {
                grid[u * W + v] = (2f * v + 1) / W - 1;
                grid[p + u * W + v] = (2f * u + 1) / H - 1;
                grid[2 * p + u * W + v] = 1;
            }
        }
        // Both axes at once, axis a = 0 for x (size W), 1 for y (size H): (N, 2, P) arrays.
        NDArray g = m.create(grid, new Shape(3, p)); // (3, P)
        NDArray source = theta.toType(type, false).matMul(g); // (N, 2, P) normalised source x and y
        if (fused) {
            NDArray edge = perAxis(m, type, 1 - 1f / W, 1 - 1f / H); // the outermost pixel centres
            NDArray inside = source.gte(-1f).logicalAnd(source.lte(1f));
            NDArray onEdge = NDArrays.where(inside, source.maximum(edge.neg()).minimum(edge), source);
            NDArray sampleGrid = onEdge.transpose(0, 2, 1).reshape(n, H, W, 2); // (N, H, W, (x, y))
            return TorchOps.gridSample(
                            images.reshape(n, 1, H, W),
                            sampleGrid,
                            TorchOps.Interpolation.BILINEAR,
                            TorchOps.Padding.ZEROS,
                            false)
                    .reshape(s);
        }
        NDArray half = perAxis(m, type, W / 2f, H / 2f);
        NDArray centre = perAxis(m, type, (W - 1) / 2f, H / 2f - 0.5f);
        NDArray last = perAxis(m, type, W - 1, H - 1);
        NDArray pc = inImageToEdge(source.mul(half).add(centre), last); // (N, 2, P) p_x = ((x_s + 1) W - 1) / 2
        NDArray c0 = pc.floor(); // (N, 2, P) left / upper neighbour
        NDArray f = pc.sub(c0); // (N, 2, P) k(p - c0) = 1 - f, k(p - c0 - 1) = f
        // The image padded by one zero pixel on every side: a neighbour outside it, clipped onto
        // the padding, reads 0, which is the zero padding without masks. Padded index = pixel + 1.
        NDArray lastPadded = perAxis(m, type, W + 1, H + 1);
        NDArray stride = perAxis(m, type, 1, W + 2);
        NDArray near = Scalars.maximum(c0.add(1), 0).minimum(lastPadded).mul(stride); // (N, 2, P)
        NDArray far = Scalars.maximum(c0.add(2), 0).minimum(lastPadded).mul(stride);
        NDArray offsets = NDArrays.stack(new NDList(near, far), 1); // (N, 2 neighbours, 2 axes, P)
        NDArray weights = NDArrays.stack(new NDList(f.neg().add(1), f), 1); // (N, 2, 2, P)
        // (N, y neighbour, x neighbour, P): row offset plus column offset, weight_y times weight_x
        NDArray index = offsets.get(":, :, 1, :")
                .expandDims(2)
                .add(offsets.get(":, :, 0, :").expandDims(1))
                .toType(DataType.INT64, false)
                .reshape(n, 4L * p);
        NDArray weight = weights.get(":, :, 1, :")
                .expandDims(2)
                .mul(weights.get(":, :, 0, :").expandDims(1))
                .reshape(n, 4L * p);
        NDArray padded = images.reshape(n, H, W).pad(new Shape(1, 1, 1, 1), 0).reshape(n, (long) (H + 2) * (W + 2));
        NDArray out = padded.gather(index, 1).mul(weight).reshape(n, 4, p).sum(new int[] {1}); // (N, P)
        return out.reshape(s);
    }

    /** A (1, 2, 1) array of one value per axis, x first. */
    private static NDArray perAxis(NDManager m, DataType type, float x, float y) {
        return m.create(new float[] {x, y}, new Shape(1, 2, 1)).toType(type, false);
    }

    /**
     * Points in the image's rim {@code [-0.5, 0)} and {@code (size - 1, size - 0.5]} move onto the
     * edge pixel; {@code last} holds size - 1 per axis.
     */
    private static NDArray inImageToEdge(NDArray p, NDArray last) {
        NDArray inside = p.gte(-0.5f).logicalAnd(p.lte(last.add(0.5f)));
        return NDArrays.where(inside, Scalars.maximum(p, 0).minimum(last), p);
    }
}
