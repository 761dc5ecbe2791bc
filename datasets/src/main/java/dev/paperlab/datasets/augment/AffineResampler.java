package dev.paperlab.datasets.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.framework.nn.Scalars;

/**
 * Bilinear resampling of a batch of single-channel images through one affine map per example,
 * with zeros outside the image, computed batched on the engine: four gathers of neighbour pixels
 * and their weights.
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
        int p = H * W;
        float[] grid = new float[3 * p]; // rows x_o, y_o, 1 for every output pixel
        for (int u = 0; u < H; u++) {
            for (int v = 0; v < W; v++) {
                grid[u * W + v] = (2f * v + 1) / W - 1;
                grid[p + u * W + v] = (2f * u + 1) / H - 1;
                grid[2 * p + u * W + v] = 1;
            }
        }
        NDArray g = m.create(grid, new Shape(3, p)); // (3, P)
        NDArray t = theta.toType(images.getDataType(), false);
        NDArray xs = t.get(":, 0, :").matMul(g); // (N, P) normalised source x
        NDArray ys = t.get(":, 1, :").matMul(g); // (N, P)
        NDArray px = inImageToEdge(Scalars.div(Scalars.mul(xs.add(1), W).sub(1), 2), W); // (N, P) pixel coordinates
        NDArray py = inImageToEdge(Scalars.div(Scalars.mul(ys.add(1), H).sub(1), 2), H); // (N, P)
        NDArray x0 = px.floor(); // (N, P) left neighbour column
        NDArray y0 = py.floor(); // (N, P) upper neighbour row
        NDArray fx = px.sub(x0); // (N, P) k(p_x - x0) = 1 - fx, k(p_x - x0 - 1) = fx
        NDArray fy = py.sub(y0);
        NDArray flat = images.reshape(n, (long) H * W); // (N, H*W)
        NDArray out = null;
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                NDArray xi = x0.add(dx); // (N, P)
                NDArray yi = y0.add(dy);
                NDArray inside = xi.gte(0)
                        .logicalAnd(xi.lte(W - 1))
                        .logicalAnd(yi.gte(0))
                        .logicalAnd(yi.lte(H - 1));
                NDArray weight = (dx == 0 ? fx.neg().add(1) : fx)
                        .mul(dy == 0 ? fy.neg().add(1) : fy)
                        .mul(inside.toType(fx.getDataType(), false)); // (N, P), 0 outside: the zero padding
                NDArray index =
                        Scalars.mul(yi.clip(0, H - 1), W).add(xi.clip(0, W - 1)).toType(DataType.INT64, false);
                NDArray term = flat.gather(index, 1).mul(weight); // (N, P)
                out = out == null ? term : out.add(term);
            }
        }
        return out.reshape(s);
    }

    /** Points in the image's rim {@code [-0.5, 0)} and {@code (size - 1, size - 0.5]} move onto the edge pixel. */
    private static NDArray inImageToEdge(NDArray p, int size) {
        NDArray inside = p.gte(-0.5f).logicalAnd(p.lte(size - 0.5f));
        return NDArrays.where(inside, p.clip(0, size - 1), p);
    }
}
