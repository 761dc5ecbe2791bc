package dev.paperlab.training.optim;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The checkpoint format of our {@link StatefulOptimizer}s: a version, then per parameter (sorted
 * by its stable name, since DJL's ids change per process) its name, its step count and its state
 * arrays as one encoded {@link NDList}.
 */
final class ParameterStates {
    private ParameterStates() {}

    /** Receives one parameter's restored state. */
    @FunctionalInterface
    interface Sink {
        void accept(String id, int step, NDList arrays);
    }

    /**
     * Writes the state of every parameter in {@code steps}.
     *
     * @param arrays the state arrays of a parameter id, in a fixed order
     */
    static void write(
            DataOutputStream out,
            int version,
            Map<String, Integer> steps,
            Function<String, NDList> arrays,
            Function<String, String> idToName)
            throws IOException {
        out.writeInt(version);
        Map<String, String> byName = new TreeMap<>();
        steps.keySet().forEach(id -> byName.put(idToName.apply(id), id));
        out.writeInt(byName.size());
        for (Map.Entry<String, String> entry : byName.entrySet()) {
            String id = entry.getValue();
            out.writeUTF(entry.getKey());
            out.writeInt(steps.get(id));
            byte[] bytes = arrays.apply(id).encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /**
     * Reads what {@link #write} wrote: checks the version, calls {@code reset} (drop the old
     * state), then hands each parameter's state to {@code sink}.
     *
     * @param optimizer the optimizer's name, for messages
     * @throws IOException on another version, or a parameter name the model lacks
     */
    static void read(
            NDManager manager,
            DataInputStream in,
            int version,
            String optimizer,
            Function<String, String> nameToId,
            Runnable reset,
            Sink sink)
            throws IOException {
        int found = in.readInt();
        if (found != version) {
            throw new IOException(
                    optimizer + " state version " + found + " is not supported (expected " + version + ")");
        }
        int count = in.readInt();
        reset.run();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            String id = nameToId.apply(name);
            if (id == null) {
                throw new IOException(optimizer + " state names parameter '" + name + "', which the model lacks");
            }
            int step = in.readInt();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            sink.accept(id, step, NDList.decode(manager, bytes));
        }
    }
}
