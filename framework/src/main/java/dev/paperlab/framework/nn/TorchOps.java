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
    private static final MethodHandle WRAP; // (PtNDManager, long) -> PtNDArray

    static {
        Function alloc = null;
        Function silu = null;
        Function groupNorm = null;
        MethodHandle wrap = null;
        try {
            if (!Platform.isIntel() || !Platform.is64Bit()) { // the hidden result argument below is x86-64's
                throw new UnsupportedOperationException("the calls are written for x86-64, this is " + Platform.ARCH);
            }
            NativeLibrary torch = Libtorch.cpu();
            alloc = torch.getFunction("_Znwm"); // operator new(size_t)
            silu = torch.getFunction("_ZN2at4_ops4silu4callERKNS_6TensorE");
            groupNorm = torch.getFunction("_ZN2at4_ops10group_norm4callERKNS_6TensorElRKSt8optionalIS2_ES8_db");
            Class<?> manager = Class.forName("ai.djl.pytorch.engine.PtNDManager");
            Class<?> array = Class.forName("ai.djl.pytorch.engine.PtNDArray");
            wrap = MethodHandles.publicLookup()
                    .findConstructor(array, MethodType.methodType(void.class, manager, long.class))
                    .asType(MethodType.methodType(NDArray.class, NDManager.class, long.class));
        } catch (Throwable e) { // not PyTorch, another platform, another libtorch: composite forms
            LOG.info(
                    "libtorch's fused silu and group_norm are not reachable ({}); using composite forms", e.toString());
            alloc = null;
        }
        NEW = alloc;
        SILU = silu;
        GROUP_NORM = groupNorm;
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
