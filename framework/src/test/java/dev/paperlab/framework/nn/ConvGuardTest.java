package dev.paperlab.framework.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConvGuardTest {

    /** Whatever this CPU's kernels do, after the guard the gradients agree with float64. */
    @Test
    void afterTheGuardConvolutionGradientsAgreeWithFloat64() {
        ConvGuard.Status status = ConvGuard.ensureCorrectGradients();
        assertNotEquals(ConvGuard.Status.SKIPPED, status);
        assertTrue(ConvGuard.worstRelativeError() <= ConvGuard.TOLERANCE, "status " + status);
        assertEquals(status, ConvGuard.ensureCorrectGradients(), "decided once per process");
    }

    /** Only the CPU kind the fault was seen on is capped; the first processor entry decides. */
    @Test
    void knownFaultyCpusAreAmdFamily26AndLater() {
        String zen5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\n";
        String zen4 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n";
        String xeon = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 26\nmodel\t\t: 143\n";
        assertTrue(ConvGuard.knownFaulty(zen5));
        assertTrue(ConvGuard.knownFaulty(zen5.replace(": 26", ": 27")));
        assertFalse(ConvGuard.knownFaulty(zen4));
        assertFalse(ConvGuard.knownFaulty(xeon));
        assertFalse(ConvGuard.knownFaulty(zen4 + "\n" + zen5), "a later entry does not count");
        assertFalse(ConvGuard.knownFaulty(zen5.replace(": 26", ": x")));
        assertFalse(ConvGuard.knownFaulty(""));
    }

    @Test
    void rightGradientsNeedNoRemedy() {
        AtomicInteger remedies = new AtomicInteger();
        ConvGuard.Status status = ConvGuard.decide(() -> 1e-7, () -> remedies.incrementAndGet() > 0);
        assertEquals(ConvGuard.Status.CORRECT, status);
        assertEquals(0, remedies.get());
    }

    @Test
    void wrongGradientsAreRemediedAndCheckedAgain() {
        double[] errors = {0.4, 1e-7};
        AtomicInteger calls = new AtomicInteger();
        ConvGuard.Status status = ConvGuard.decide(() -> errors[calls.getAndIncrement()], () -> true);
        assertEquals(ConvGuard.Status.ONEDNN_DISABLED, status);
        assertEquals(2, calls.get());
    }

    @Test
    void gradientsThatStayWrongStopWithTheVariableToSet() {
        var stillWrong = assertThrows(IllegalStateException.class, () -> ConvGuard.decide(() -> 0.4, () -> true));
        assertTrue(stillWrong.getMessage().contains("ONEDNN_MAX_CPU_ISA=AVX"), stillWrong.getMessage());
        var nan = assertThrows(
                IllegalStateException.class, () -> ConvGuard.decide(() -> Double.POSITIVE_INFINITY, () -> false));
        assertTrue(nan.getMessage().contains("could not be switched off"), nan.getMessage());
    }

    @Test
    void relativeErrorSeesNaN() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray b = manager.create(new float[] {1, 2, 4});
            assertEquals(0.25, ConvGuard.relativeError(manager.create(new float[] {1, 3, 4}), b), 1e-12);
            assertEquals(
                    Double.POSITIVE_INFINITY,
                    ConvGuard.relativeError(manager.create(new float[] {1, Float.NaN, 4}), b));
        }
    }

    /** The environment is the C library's, as oneDNN reads it, and a value set by the user wins. */
    @Test
    void setsNativeEnvironmentOnlyWhenUnset() {
        String name = "PAPERLAB_CONVGUARD_TEST_" + ProcessHandle.current().pid();
        assertEquals(null, ConvGuard.nativeEnv(name));
        assertTrue(ConvGuard.setIfUnset(name, "first"));
        assertEquals("first", ConvGuard.nativeEnv(name));
        assertFalse(ConvGuard.setIfUnset(name, "second"));
        assertEquals("first", ConvGuard.nativeEnv(name));
    }

    /** The switch behind torch.backends.mkldnn.enabled round-trips, and convolutions stay right. */
    @Test
    void oneDnnCanBeSwitchedOffAndOn() {
        Boolean before = ConvGuard.oneDnnEnabled();
        assertTrue(before != null, "libtorch's context is reachable");
        try {
            assertTrue(ConvGuard.setOneDnnEnabled(false));
            assertEquals(Boolean.FALSE, ConvGuard.oneDnnEnabled());
            // libtorch's own convolution (im2col + GEMM) is right on every CPU
            assertTrue(ConvGuard.worstRelativeError() <= ConvGuard.TOLERANCE);
            assertTrue(ConvGuard.setOneDnnEnabled(true));
            assertEquals(Boolean.TRUE, ConvGuard.oneDnnEnabled());
        } finally {
            ConvGuard.setOneDnnEnabled(before);
        }
    }
}
