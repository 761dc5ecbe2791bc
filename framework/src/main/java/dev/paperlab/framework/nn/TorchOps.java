package dev.paperlab.framework.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.NativeResource;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch operators that DJL does not bind, called through their dispatcher entry points ({@code
 * at::_ops::NAME::call}) as torch's own Python functions are: autograd records them, so backward
 * runs libtorch's fused kernel too. Where the engine is not PyTorch or a symbol is missing, {@link
 * #available()} is false and callers keep their composite form.
 *
 * <p>Calling convention (x86-64 System V, Itanium C++ ABI; other architectures keep the composite forms): an {@code at::Tensor} is one pointer to
 * its {@code TensorImpl}, returned through a hidden first argument because it has a destructor; a
 * DJL PyTorch array's handle points to a heap {@code at::Tensor} that DJL deletes when the array
 * closes. So the result is constructed in 8 bytes from {@code operator new} and handed to DJL as a
 * new array's handle. A {@code const std::optional<Tensor>&} argument points to the tensor's
 * pointer followed by the engaged flag; it borrows the tensor for the call and is never
 * destroyed, so reference counts stay balanced.
 */
public final class TorchOps {
    private static final Logger LOG = LoggerFactory.getLogger(TorchOps.class);

    private static final Function NEW;
    private static final Function SILU;
    private static final Function GROUP_NORM;
    private static final Function STRIDE;
    private static final Function CONTIGUOUS;
    private static final Function GRID_SAMPLER;
    private static final MethodHandle WRAP; // (PtNDManager, long) -> PtNDArray

    static {
        Function alloc = null;
        Function silu = null;
        Function groupNorm = null;
        Function stride = null;
        Function contiguous = null;
        Function gridSampler = null;
        MethodHandle wrap = null;
        try {
            if (!Platform.isIntel() || !Platform.is64Bit()) { // the hidden result argument below is x86-64's
                throw new UnsupportedOperationException("the calls are written for x86-64, this is " + Platform.ARCH);
            }
            NativeLibrary torch = Libtorch.cpu();
            alloc = torch.getFunction("_Znwm"); // operator new(size_t)
            silu = torch.getFunction("_ZN2at4_ops4silu4callERKNS_6TensorE");
            groupNorm = torch.getFunction("_ZN2at4_ops10group_norm4callERKNS_6TensorElRKSt8optionalIS2_ES8_db");
            stride = torch.getFunction("_ZN2at4_ops10stride_int4callERKNS_6TensorEl");
            contiguous = torch.getFunction("_ZN2at4_ops10contiguous4callERKNS_6TensorEN3c1012MemoryFormatE");
            gridSampler = torch.getFunction("_ZN2at4_ops15grid_sampler_2d4callERKNS_6TensorES4_llb");
            Class<?> manager = Class.forName("ai.djl.pytorch.engine.PtNDManager");
            Class<?> array = Class.forName("ai.djl.pytorch.engine.PtNDArray");
            wrap = MethodHandles.publicLookup()
                    .findConstructor(array, MethodType.methodType(void.class, manager, long.class))
                    .asType(MethodType.methodType(NDArray.class, NDManager.class, long.class));
        } catch (Throwable e) { // not PyTorch, another platform, another libtorch: composite forms
            LOG.info("libtorch's operators past DJL are not reachable ({}); using composite forms", e.toString());
            alloc = null;
        }
        NEW = alloc;
        SILU = silu;
        GROUP_NORM = groupNorm;
        STRIDE = stride;
        CONTIGUOUS = contiguous;
        GRID_SAMPLER = gridSampler;
        WRAP = wrap;
    }

    private TorchOps() {}

    /** True when the fused operators can be called for arrays of the PyTorch engine. */
    public static boolean available() {
        return NEW != null;
    }

    /** True when {@code x} can go through the fused operators. */
    public static boolean accepts(NDArray x) {
        return available() && "PyTorch".equals(x.getManager().getEngine().getEngineName());
    }

    /** {@code torch.nn.functional.silu}: x sigmoid(x), one kernel each way. */
    public static NDArray silu(NDArray x) {
        Pointer out = NEW.invokePointer(new Object[] {8L});
        SILU.invokePointer(new Object[] {out, new Pointer(handle(x))});
        return wrap(x.getManager(), out);
    }

    /**
     * {@code torch.nn.functional.group_norm}: normalise (N, C, ...) over each of {@code groups}
     * channel groups and positions, then scale by {@code gamma} and shift by {@code beta} per channel
     * (either may be null), in libtorch's fused kernel.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        try (Memory weight = optional(gamma);
                Memory bias = optional(beta)) {
            Pointer out = NEW.invokePointer(new Object[] {8L});
            GROUP_NORM.invokePointer(
                    new Object[] {out, new Pointer(handle(x)), (long) groups, weight, bias, eps, (byte) 0});
            return wrap(x.getManager(), out);
        }
    }

    /** How {@link #gridSample} reads between pixels: {@code grid_sample}'s {@code mode}. */
    public enum Interpolation {
        BILINEAR,
        NEAREST,
        BICUBIC
    }

    /** What {@link #gridSample} reads outside the image: {@code grid_sample}'s {@code padding_mode}. */
    public enum Padding {
        ZEROS,
        BORDER,
        REFLECTION
    }

    /**
     * {@code torch.nn.functional.grid_sample} for 4-D input: output pixel {@code (n, :, i, j)} reads
     * {@code input[n]} at the normalised point {@code grid[n, i, j] = (x, y)}, with {@code (-1, -1)}
     * the top-left corner of the image ({@code alignCorners} false) or the centre of its top-left
     * pixel (true). One libtorch kernel; autograd records it.
     *
     * @param input (N, C, H, W)
     * @param grid (N, H_out, W_out, 2)
     * @return (N, C, H_out, W_out)
     */
    public static NDArray gridSample(
            NDArray input, NDArray grid, Interpolation mode, Padding padding, boolean alignCorners) {
        Pointer out = NEW.invokePointer(new Object[] {8L});
        GRID_SAMPLER.invokePointer(new Object[] {
            out,
            new Pointer(handle(input)),
            new Pointer(handle(grid)),
            (long) mode.ordinal(),
            (long) padding.ordinal(),
            (byte) (alignCorners ? 1 : 0)
        });
        return wrap(input.getManager(), out);
    }

    /**
     * {@code x} (N, C, H, W) with the same values stored channels-last ({@code
     * x.contiguous(memory_format=torch.channels_last)}): strides {@code (HWC, 1, WC, C)}. A
     * convolution given such an input runs oneDNN's native NHWC kernels and returns channels-last
     * too, as do batch norm and elementwise operators (group norm too, but slowly: see {@link
     * ChannelsLast}), so a network stays in that
     * layout without the reorders libtorch otherwise makes around each convolution's backward.
     * With one channel the layout is a view ({@code contiguous} would keep such a tensor as it is,
     * since a size-1 dimension's stride does not count for contiguity). Autograd passes gradients
     * through unchanged. Arrays of other engines are returned as they are.
     */
    public static NDArray channelsLast(NDArray x) {
        ai.djl.ndarray.types.Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("channelsLast needs (N, C, H, W), got " + s);
        }
        if (!accepts(x)) {
            return x;
        }
        if (s.get(1) == 1) {
            return x.reshape(s.get(0), s.get(2), s.get(3), 1).transpose(0, 3, 1, 2);
        }
        Pointer out = NEW.invokePointer(new Object[] {8L});
        CONTIGUOUS.invokePointer(
                new Object[] {out, new Pointer(handle(x)), (byte) 2}); // c10::MemoryFormat::ChannelsLast
        return wrap(x.getManager(), out);
    }

    /** The strides of {@code a}'s tensor in elements, one per dimension ({@code Tensor.stride()}). */
    public static long[] strides(NDArray a) {
        long[] s = new long[a.getShape().dimension()];
        for (int d = 0; d < s.length; d++) {
            s[d] = STRIDE.invokeLong(new Object[] {new Pointer(handle(a)), (long) d});
        }
        return s;
    }

    /** A {@code std::optional<at::Tensor>} that borrows {@code a}'s tensor, or is empty. */
    private static Memory optional(NDArray a) {
        Memory m = new Memory(16);
        m.clear();
        if (a != null) {
            m.setLong(0, new Pointer(handle(a)).getLong(0)); // the TensorImpl pointer, not retained
            m.setByte(8, (byte) 1);
        }
        return m;
    }

    private static long handle(NDArray a) {
        return (Long) ((NativeResource<?>) a).getHandle();
    }

    private static NDArray wrap(NDManager manager, Pointer tensor) {
        try {
            return (NDArray) WRAP.invokeExact(manager, Pointer.nativeValue(tensor));
        } catch (Throwable e) {
            throw new IllegalStateException("cannot wrap a libtorch result as an NDArray", e);
        }
    }
}
