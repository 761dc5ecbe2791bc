package dev.paperlab.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam's moments of a fixed list of parameters, each kept in one flat buffer, so that one update
 * of all of them is a handful of operations. The per-parameter state maps hold views into the
 * buffers (reshaped slices sharing their storage), so a per-parameter update and a checkpoint
 * written per parameter name see and change the same numbers.
 */
final class FlatMoments implements AutoCloseable {
    private final List<String> ids;
    private final NDArray means; // (N) all first moments, parameters in list order
    private final NDArray variances; // (N)
    private final long[] splits; // start offsets of parameters 1..P-1 in the flat buffers

    private FlatMoments(List<String> ids, NDArray means, NDArray variances, long[] splits) {
        this.ids = List.copyOf(ids);
        this.means = means;
        this.variances = variances;
        this.splits = splits;
    }

    /**
     * Moves the moments of {@code ids} (zeros for a parameter without any yet) into new flat
     * buffers on the first weight's manager, and replaces the map entries by views into them.
     */
    static FlatMoments gather(
            List<String> ids, List<NDArray> weights, Map<String, NDArray> meanMap, Map<String, NDArray> varianceMap) {
        NDManager manager = weights.get(0).getManager();
        long[] splits = new long[ids.size() - 1];
        long offset = 0;
        for (int i = 0; i < ids.size() - 1; i++) {
            offset += weights.get(i).size();
            splits[i] = offset;
        }
        NDArray means;
        NDArray variances;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            means = concat(ids, weights, meanMap);
            variances = concat(ids, weights, varianceMap);
            NDScope.unregister(means, variances);
        }
        means.attach(manager);
        variances.attach(manager);
        FlatMoments flat = new FlatMoments(ids, means, variances, splits);
        flat.publish(weights, meanMap, means);
        flat.publish(weights, varianceMap, variances);
        return flat;
    }

    private static NDArray concat(List<String> ids, List<NDArray> weights, Map<String, NDArray> state) {
        NDList parts = new NDList(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            NDArray old = state.get(ids.get(i));
            NDArray weight = weights.get(i);
            parts.add(
                    old == null
                            ? weight.getManager().zeros(new Shape(weight.size()), weight.getDataType())
                            : old.reshape(-1));
        }
        return parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts);
    }

    /** Replaces each parameter's entry in {@code state} by its view into {@code flat}. */
    private void publish(List<NDArray> weights, Map<String, NDArray> state, NDArray flat) {
        List<NDArray> views = new ArrayList<>(ids.size());
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList pieces = splits.length == 0 ? new NDList(flat.reshape(-1)) : flat.split(splits);
            for (int i = 0; i < ids.size(); i++) {
                NDArray view = pieces.get(i).reshape(weights.get(i).getShape());
                NDScope.unregister(view);
                views.add(view);
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            NDArray old = state.put(ids.get(i), views.get(i));
            if (old != null) {
                old.close();
            }
        }
    }

    /** Whether these buffers hold exactly {@code parameterIds}, in that order. */
    boolean holds(List<String> parameterIds) {
        return ids.equals(parameterIds);
    }

    NDArray means() {
        return means;
    }

    NDArray variances() {
        return variances;
    }

    /** Splits a flat array laid out as these buffers into per-parameter pieces (1-D views). */
    NDList split(NDArray flat) {
        return splits.length == 0 ? new NDList(flat) : flat.split(splits);
    }

    /** Closes the flat handles; the per-parameter views keep the storage alive until closed. */
    @Override
    public void close() {
        means.close();
        variances.close();
    }
}
