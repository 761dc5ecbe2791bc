package dev.paperlab.framework.check;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

/**
 * Finite-difference gradient checking against DJL autograd.
 *
 * <p>For a scalar function {@code f} of inputs {@code x_1 .. x_k}, each element's derivative is
 * estimated by central differences, whose error is {@code O(eps^2)}:
 *
 * <pre>
 *   df/dx[i] ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)
 * </pre>
 *
 * <p>and compared with the gradient that autograd returns. Both sides run on float64 copies of
 * the inputs (so {@code eps = 1e-6} leaves a rounding error near {@code 1e-10}); a function that
 * creates float32 constants of its own is promoted by the engine where the types meet.
 * Non-floating inputs (labels, indices) are passed through unchanged and not differentiated.
 *
 * <p>The relative error of an element is {@code |a - n| / max(|a|, |n|)}; elements where both
 * gradients are below {@value #RELATIVE_FLOOR} in magnitude count only towards the absolute error,
 * since their relative error is rounding noise. Cost: two evaluations of {@code f} per input
 * element, so keep inputs small.
 */
public final class GradientCheck {

    /** Default central-difference step for float64 inputs. */
    public static final double DEFAULT_EPSILON = 1e-6;

    /** Magnitude below which an element is left out of the relative error. */
    public static final double RELATIVE_FLOOR = 1e-7;

    /**
     * Result of a check.
     *
     * @param maxAbsError the largest {@code |autograd - numeric|} over all checked elements
     * @param maxRelError the largest relative error over elements above the floor
     * @param checkedElements how many input elements were perturbed
     */
    public record Result(double maxAbsError, double maxRelError, long checkedElements) {}

    private GradientCheck() {}

    /**
     * Checks {@code f} at {@code inputs} with the default step.
     *
     * @param f a function returning a single-element array
     * @param inputs the point at which to differentiate; not modified
     * @return the largest absolute and relative errors
     */
    public static Result check(Function<NDList, NDArray> f, NDList inputs) {
        return check(f, inputs, DEFAULT_EPSILON);
    }

    /**
     * Checks {@code f} at {@code inputs}.
     *
     * @param f a function returning a single-element array
     * @param inputs the point at which to differentiate; not modified
     * @param epsilon the central-difference step
     * @return the largest absolute and relative errors
     */
    public static Result check(Function<NDList, NDArray> f, NDList inputs, double epsilon) {
        NDManager parent = inputs.head().getManager();
        try (NDManager manager = parent.newSubManager()) {
            NDList analytic = autogradGradients(f, inputs, manager);
            NDList numeric = numericGradients(f, inputs, epsilon, manager);
            double maxAbs = 0;
            double maxRel = 0;
            long checked = 0;
            for (int j = 0; j < inputs.size(); j++) {
                if (!inputs.get(j).getDataType().isFloating()) {
                    continue;
                }
                double[] a = analytic.get(j).toDoubleArray();
                double[] n = numeric.get(j).toDoubleArray();
                for (int i = 0; i < a.length; i++) {
                    double abs = Math.abs(a[i] - n[i]);
                    double scale = Math.max(Math.abs(a[i]), Math.abs(n[i]));
                    maxAbs = Math.max(maxAbs, abs);
                    if (scale >= RELATIVE_FLOOR) {
                        maxRel = Math.max(maxRel, abs / scale);
                    }
                }
                checked += a.length;
            }
            return new Result(maxAbs, maxRel, checked);
        }
    }

    /**
     * Gradients of {@code f} by DJL autograd, taken at float64 copies of the inputs.
     *
     * @param f a function returning a single-element array
     * @param inputs the point; not modified
     * @param manager the manager of the returned gradients
     * @return one float64 gradient per input, zeros for non-floating inputs
     */
    public static NDList autogradGradients(Function<NDList, NDArray> f, NDList inputs, NDManager manager) {
        try (NDManager work = manager.newSubManager()) {
            NDList x = toFloat64(inputs, work);
            try (NDScope scope = new NDScope();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                scope.suppressNotUsedWarning();
                for (NDArray xi : x) {
                    if (xi.getDataType().isFloating()) {
                        xi.setRequiresGradient(true);
                    }
                }
                NDArray y = f.apply(x);
                checkScalar(y);
                collector.backward(y);
            }
            NDList grads = new NDList(x.size());
            for (NDArray xi : x) {
                NDArray g = xi.getDataType().isFloating()
                        ? xi.getGradient().duplicate().toType(DataType.FLOAT64, false)
                        : work.zeros(xi.getShape(), DataType.FLOAT64);
                g.attach(manager);
                grads.add(g);
            }
            return grads;
        }
    }

    /**
     * Gradients of {@code f} by central differences on float64 copies of the inputs.
     *
     * @param f a function returning a single-element array
     * @param inputs the point; not modified
     * @param epsilon the step
     * @param manager the manager of the returned gradients
     * @return one float64 gradient per input, zeros for non-floating inputs
     */
    public static NDList numericGradients(
            Function<NDList, NDArray> f, NDList inputs, double epsilon, NDManager manager) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, but was " + epsilon);
        }
        NDList grads = new NDList(inputs.size());
        try (NDManager work = manager.newSubManager()) {
            NDList x = toFloat64(inputs, work);
            for (int j = 0; j < x.size(); j++) {
                NDArray xj = x.get(j);
                double[] grad = new double[Math.toIntExact(xj.size())];
                if (xj.getDataType().isFloating()) {
                    double[] point = xj.toDoubleArray();
                    for (int i = 0; i < point.length; i++) {
                        double original = point[i];
                        point[i] = original + epsilon;
                        double plus = evaluate(f, x, j, point, work);
                        point[i] = original - epsilon;
                        double minus = evaluate(f, x, j, point, work);
                        point[i] = original;
                        // central difference, error O(eps^2)
                        grad[i] = (plus - minus) / (2 * epsilon);
                    }
                }
                grads.add(manager.create(grad, xj.getShape()));
            }
        }
        return grads;
    }

    /** f with input j replaced by {@code values}; every array it creates is freed. */
    private static double evaluate(Function<NDList, NDArray> f, NDList x, int j, double[] values, NDManager work) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList moved = new NDList(x);
            moved.set(j, work.create(values, x.get(j).getShape()));
            NDArray y = f.apply(moved);
            checkScalar(y);
            return y.toType(DataType.FLOAT64, false).toDoubleArray()[0];
        }
    }

    private static NDList toFloat64(NDList inputs, NDManager manager) {
        NDList copies = new NDList(inputs.size());
        for (NDArray input : inputs) {
            // toType on an array that is already float64 may alias it: copy explicitly.
            NDArray copy = input.getDataType().isFloating() && input.getDataType() != DataType.FLOAT64
                    ? input.toType(DataType.FLOAT64, false)
                    : input.duplicate();
            copy.attach(manager);
            copies.add(copy);
        }
        return copies;
    }

    private static void checkScalar(NDArray y) {
        if (y.size() != 1) {
            throw new IllegalArgumentException(
                    "gradient check needs a scalar function, but f returned shape " + y.getShape());
        }
    }
}
