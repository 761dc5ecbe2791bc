package dev.paperlab.framework.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps convolution gradients right on CPUs where libtorch 2.7.1's oneDNN (3.7.1) computes them
 * wrong. On an AMD EPYC of family 26 (Zen 5) with AVX-512, oneDNN's JIT {@code backward_data}
 * kernels for AVX2 and AVX-512 return input gradients of stride-1 convolutions with 1 to 8
 * channels that are off by 20% to 95% (sometimes NaN, and different from run to run), while the
 * forward pass and the weight gradient stay right; with its AVX or SSE4.1 kernels, or without
 * oneDNN, every case is right.
 *
 * <p>The fault belongs to some CPUs, not to all: on an AMD EPYC of family 25 (Zen 4) every
 * kernel, AVX-512 included, gives right gradients, and capping it costs the conv models 0.58x of
 * their step rate (DDPM's U-Net: 58 against 100 samples/s). So the guard caps only where the fault
 * was seen and checks everywhere:
 *
 * <ol>
 *   <li>{@link #configureBeforeEngineLoad()} caps oneDNN at its AVX kernels, on CPUs of the known
 *       faulty kind ({@link #knownFaulty}: AMD family 26, Zen 5, and later), by setting {@code
 *       ONEDNN_MAX_CPU_ISA=AVX} in the process environment (libc {@code setenv}) when the user has
 *       not set it. oneDNN reads it once, when libtorch loads, so this must run before the first
 *       DJL engine call; the commands and the harness do so. Cost on the conv VAE there: 0.92x the
 *       samples/s of the (wrong) AVX2 kernels.
 *   <li>{@link #ensureCorrectGradients()} checks, once per process, the float32 input and weight
 *       gradients of a few small convolutions against the same computation in float64 (which
 *       never runs through oneDNN). If they disagree (a faulty CPU not on the list, or libtorch
 *       loaded before the cap), it switches oneDNN off for the rest of the process ({@code
 *       at::globalContext().setUserEnabledMkldnn(false)}, as {@code torch.backends.mkldnn.enabled =
 *       False} does), so libtorch falls back to its own im2col + GEMM convolution (0.61x there),
 *       checks again, and refuses to go on if they still disagree.
 * </ol>
 *
 * <p>The system property {@code paperlab.convguard=off} skips both (for measuring the kernels).
 */
public final class ConvGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConvGuard.class);

    /** The environment variable oneDNN reads for its highest instruction set. */
    public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

    /** Where the CPU's vendor and family are read. */
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /** The first AMD family (Zen 5) on which the faulty kernels were seen. */
    static final int FIRST_FAULTY_AMD_FAMILY = 26;

    /** The cap applied on a known faulty CPU when the user has not chosen one. */
    public static final String SAFE_ISA = "AVX";

    /**
     * Largest relative error (max |g32 - g64| / max |g64|) accepted from a float32 gradient. The
     * checked sums have at most 8 * 4 * 4 = 128 terms, so float32 rounding stays near 1e-6 (seen:
     * 1e-7 to 1e-6); the kernels this guards against are off by 0.2 to 0.95. 1e-3 is far from both.
     */
    static final double TOLERANCE = 1e-3;

    /** (C_in, C_out, kernel, stride, padding): the shapes oneDNN got wrong, and a strided one. */
    private static final int[][] CASES = {
        {1, 1, 3, 1, 1}, {3, 5, 3, 1, 1}, {5, 3, 4, 1, 0}, {8, 8, 3, 1, 1}, {3, 5, 4, 2, 1}
    };

    /** What {@link #ensureCorrectGradients()} found and did. */
    public enum Status {
        /** float32 convolution gradients agree with float64 as they are. */
        CORRECT,
        /** they disagreed; oneDNN is now off for this process and they agree. */
        ONEDNN_DISABLED,
        /** the check is not needed or was switched off (another engine, or the property). */
        SKIPPED
    }

    private static Status status;

    private ConvGuard() {}

    /**
     * Sets {@code ONEDNN_MAX_CPU_ISA=AVX} when it is unset, on x86-64 Linux with a {@link
     * #knownFaulty} CPU. Call it before the first DJL engine call; it does not load the engine.
     * Later calls change nothing.
     *
     * @return whether this call set the variable
     */
    public static boolean configureBeforeEngineLoad() {
        if (disabled() || !Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) {
            return false;
        }
        String cpu;
        try {
            cpu = Files.readString(CPUINFO);
        } catch (IOException | SecurityException e) {
            LOG.debug("cannot read {}: the gradient check alone guards convolutions", CPUINFO, e);
            return false;
        }
        return knownFaulty(cpu) && setIfUnset(ISA_VARIABLE, SAFE_ISA);
    }

    /**
     * Whether {@code /proc/cpuinfo} text describes a CPU whose oneDNN AVX2/AVX-512 convolution
     * gradients are known to be wrong: vendor {@code AuthenticAMD}, {@code cpu family} 26 or
     * higher (Zen 5 on). Its first processor entry decides; text it cannot read is not faulty.
     */
    static boolean knownFaulty(String cpuinfo) {
        String vendor = null;
        int family = -1;
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                break; // end of the first processor's entry
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("vendor_id")) {
                vendor = value;
            } else if (key.equals("cpu family")) {
                try {
                    family = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return "AuthenticAMD".equals(vendor) && family >= FIRST_FAULTY_AMD_FAMILY;
    }

    /**
     * Sets a variable of the native process environment (what C's {@code getenv} sees) unless it
     * is already set there.
     *
     * @return whether it was set by this call
     */
    static boolean setIfUnset(String name, String value) {
        NativeLibrary libc = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        if (libc.getFunction("getenv").invokePointer(new Object[] {name}) != null) {
            return false;
        }
        int rc = libc.getFunction("setenv").invokeInt(new Object[] {name, value, 0});
        if (rc != 0) {
            LOG.warn("setenv({}) failed with {}", name, rc);
            return false;
        }
        return true;
    }

    /** The value C's {@code getenv} returns for {@code name}, or {@code null}. */
    static String nativeEnv(String name) {
        Pointer p = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME)
                .getFunction("getenv")
                .invokePointer(new Object[] {name});
        return p == null ? null : p.getString(0);
    }

    /**
     * Checks once per process that float32 convolution gradients are right, and switches oneDNN
     * off when they are not.
     *
     * @return what was found and done
     * @throws IllegalStateException when the gradients stay wrong
     */
    public static synchronized Status ensureCorrectGradients() {
        if (status == null) {
            if (disabled() || !"PyTorch".equals(Engine.getInstance().getEngineName())) {
                status = Status.SKIPPED;
            } else {
                status = decide(ConvGuard::worstRelativeError, ConvGuard::disableOneDnn);
            }
        }
        return status;
    }

    /**
     * The decision, apart from libtorch: check; if wrong, apply the remedy and check again.
     *
     * @param check the worst relative error of the float32 gradients
     * @param remedy switches the faulty kernels off; returns false when it could not
     */
    static Status decide(DoubleSupplier check, java.util.function.BooleanSupplier remedy) {
        double error = check.getAsDouble();
        if (error <= TOLERANCE) {
            return Status.CORRECT;
        }
        LOG.warn(
                "float32 convolution gradients are off by {} (relative) on this CPU's oneDNN kernels;"
                        + " switching oneDNN off (slower convolutions; starting the JVM with {}={}"
                        + " is faster and right)",
                String.format("%.3g", error),
                ISA_VARIABLE,
                SAFE_ISA);
        boolean applied = remedy.getAsBoolean();
        double after = check.getAsDouble();
        if (!applied || !(after <= TOLERANCE)) {
            throw new IllegalStateException("float32 convolution gradients are wrong on this CPU (relative error "
                    + String.format("%.3g", after)
                    + ", expected at most "
                    + TOLERANCE
                    + (applied ? " even without oneDNN" : "; oneDNN could not be switched off")
                    + "): start the JVM with the environment variable "
                    + ISA_VARIABLE
                    + "="
                    + SAFE_ISA);
        }
        return Status.ONEDNN_DISABLED;
    }

    /**
     * Worst relative error of float32 conv2d input and weight gradients against float64, over
     * {@link #CASES}. Inputs come from a fixed Java RNG, so the engine's random stream is left as
     * it was.
     */
    static double worstRelativeError() {
        Random random = new Random(42);
        double worst = 0;
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            for (int[] c : CASES) {
                Shape xs = new Shape(2, c[0], 9, 9);
                Shape ws = new Shape(c[1], c[0], c[2], c[2]);
                NDArray x = manager.create(gaussian(random, xs), xs);
                NDArray w = manager.create(gaussian(random, ws), ws);
                Shape stride = new Shape(c[3], c[3]);
                Shape pad = new Shape(c[4], c[4]);
                List<NDArray> g32 = gradients(x, w, stride, pad, DataType.FLOAT32);
                List<NDArray> g64 = gradients(x, w, stride, pad, DataType.FLOAT64);
                for (int i = 0; i < g32.size(); i++) {
                    worst = Math.max(worst, relativeError(g32.get(i), g64.get(i)));
                }
            }
        }
        return worst;
    }

    /** max |a - b| / max |b|, in float64; NaN anywhere gives infinity. */
    static double relativeError(NDArray a, NDArray b) {
        NDArray a64 = a.toType(DataType.FLOAT64, false);
        NDArray b64 = b.toType(DataType.FLOAT64, false);
        double diff = a64.sub(b64).abs().max().getDouble();
        double scale = b64.abs().max().getDouble();
        double e = diff / Math.max(scale, Double.MIN_NORMAL);
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }

    /** Input and weight gradients of sum(conv2d(x, w) * r) for a fixed r, in {@code type}. */
    private static List<NDArray> gradients(NDArray x0, NDArray w0, Shape stride, Shape pad, DataType type) {
        NDArray x = x0.toType(type, true);
        NDArray w = w0.toType(type, true);
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = Conv2d.conv2d(x, w, null, stride, pad).singletonOrThrow();
            // a fixed, non-uniform output weighting so every input pixel's gradient differs
            NDArray r = y.getManager()
                    .arange((float) y.getShape().size())
                    .reshape(y.getShape())
                    .toType(type, false);
            collector.backward(y.mul(Scalars.mul(r, 0.01).sin()).sum());
        }
        return List.of(x.getGradient(), w.getGradient());
    }

    private static float[] gaussian(Random random, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /**
     * {@code at::globalContext().setUserEnabledMkldnn(false)} through libtorch's exported C++
     * symbols (Itanium ABI: the context pointer is the first argument).
     *
     * @return false when libtorch's library or symbols cannot be found
     */
    static boolean disableOneDnn() {
        return setOneDnnEnabled(false);
    }

    static boolean setOneDnnEnabled(boolean enabled) {
        try {
            NativeLibrary torch = Libtorch.cpu();
            Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            torch.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb").invokeVoid(new Object[] {context, enabled});
            return oneDnnEnabled(torch, context) == enabled;
        } catch (UnsatisfiedLinkError | IOException | IllegalStateException e) {
            LOG.warn("cannot switch oneDNN: {}", e.toString());
            return false;
        }
    }

    /** Whether libtorch's oneDNN is switched on, or {@code null} when that cannot be read. */
    static Boolean oneDnnEnabled() {
        try {
            NativeLibrary torch = Libtorch.cpu();
            Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            return oneDnnEnabled(torch, context);
        } catch (UnsatisfiedLinkError | IOException | IllegalStateException e) {
            return null;
        }
    }

    private static boolean oneDnnEnabled(NativeLibrary torch, Pointer context) {
        Function get = torch.getFunction("_ZNK2at7Context17userEnabledMkldnnEv");
        return (get.invokeInt(new Object[] {context}) & 0xff) != 0;
    }

    private static boolean disabled() {
        return "off".equalsIgnoreCase(System.getProperty("paperlab.convguard"));
    }
}
