package dev.paperlab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paperlab.training.optim.StatefulOptimizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a run: {@code <out>/checkpoints/step-NNNNNNNN/} holds each part's parameters
 * ({@code <part>.params}), its optimizer state ({@code <part>.optim}), the task's moving
 * averages ({@code <name>.ema}, {@link TrainingTask#averages()}), the task's own state (folder
 * {@code task/}, {@link TrainingTask#saveState}) and {@code state.json} (step, epoch, seed,
 * examples); {@code <out>/checkpoints/latest} names the newest complete one. A checkpoint is
 * written to a temporary folder and renamed, so a crash never leaves a half one.
 */
public final class Checkpoints {
    static final String FORMAT = "paperlab-checkpoint";
    static final int VERSION = 1;
    /** Folder of a checkpoint that holds the task's own state ({@link TrainingTask#saveState}). */
    static final String TASK_DIR = "task";

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {}

    /** Where the checkpoints of a run live. */
    public static Path root(Path outDir) {
        return outDir.resolve("checkpoints");
    }

    /** Writes a checkpoint of {@code state} and points {@code latest} at it. */
    public static Path save(RunState state) {
        Path root = root(state.outDir());
        String name = String.format("step-%08d", state.step());
        Path dir = root.resolve(name);
        Path tmp = root.resolve(name + ".tmp");
        try {
            Files.createDirectories(root);
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            for (TrainedPart part : state.parts()) {
                Block block = part.model().getBlock();
                try (DataOutputStream out = open(tmp.resolve(part.name() + ".params"))) {
                    writeParameters(block, out);
                }
                if (part.optimizer() instanceof StatefulOptimizer stateful) {
                    Map<String, String> idToName = new HashMap<>();
                    names(block).forEach((n, p) -> idToName.put(p.getId(), n));
                    try (DataOutputStream out = open(tmp.resolve(part.name() + ".optim"))) {
                        stateful.saveState(out, idToName::get);
                    }
                }
            }
            for (Ema ema : state.task().averages()) {
                try (DataOutputStream out = open(tmp.resolve(ema.name() + ".ema"))) {
                    ema.save(out);
                }
            }
            Path taskDir = tmp.resolve(TASK_DIR);
            Files.createDirectories(taskDir);
            state.task().saveState(taskDir);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.put("version", VERSION);
            meta.put("step", state.step());
            meta.put("epoch", state.epoch());
            meta.put("seed", state.config().seed());
            meta.put("examples", state.examples());
            meta.put("metrics", state.stepMetrics());
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(tmp.resolve("state.json").toFile(), meta);
            deleteRecursively(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(root.resolve("latest"), name + "\n");
            state.setLastCheckpoint(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir, e);
        }
    }

    /** The newest complete checkpoint under {@code outDir}, or {@code null} when there is none. */
    public static Path latest(Path outDir) throws IOException {
        Path pointer = root(outDir).resolve("latest");
        if (!Files.exists(pointer)) {
            return null;
        }
        Path dir = root(outDir).resolve(Files.readString(pointer).trim());
        return Files.isDirectory(dir) ? dir : null;
    }

    /**
     * Loads parameters and optimizer state of every part from {@code dir} into the live models,
     * in place (the arrays keep their identity, so trainers see the restored values).
     *
     * @return the step recorded in the checkpoint (the epoch follows from it)
     */
    public static long load(Path dir, RunState state) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = JSON.readValue(dir.resolve("state.json").toFile(), Map.class);
        if (!FORMAT.equals(meta.get("format")) || !Integer.valueOf(VERSION).equals(meta.get("version"))) {
            throw new IOException("checkpoint " + dir + " has format " + meta.get("format") + " version "
                    + meta.get("version") + ", expected " + FORMAT + " version " + VERSION);
        }
        for (TrainedPart part : state.parts()) {
            Block block = part.model().getBlock();
            NDManager manager = part.model().getNDManager();
            try (DataInputStream in = openIn(dir.resolve(part.name() + ".params"))) {
                readParameters(block, manager, in, dir);
            }
            Path optim = dir.resolve(part.name() + ".optim");
            if (part.optimizer() instanceof StatefulOptimizer stateful && Files.exists(optim)) {
                Map<String, String> nameToId = new HashMap<>();
                names(block).forEach((n, p) -> nameToId.put(n, p.getId()));
                try (DataInputStream in = openIn(optim)) {
                    stateful.loadState(manager, in, nameToId::get);
                }
            } else if (!(part.optimizer() instanceof StatefulOptimizer)) {
                LOG.warn(
                        "optimizer of part '{}' ({}) keeps no checkpointable state: resume is not exact",
                        part.name(),
                        part.optimizer().getClass().getSimpleName());
            }
        }
        for (Ema ema : state.task().averages()) {
            Path file = dir.resolve(ema.name() + ".ema");
            if (!Files.exists(file)) {
                throw new IOException(
                        "checkpoint " + dir + " has no moving average '" + ema.name() + "' (" + file + " is missing)");
            }
            try (DataInputStream in = openIn(file)) {
                ema.load(in);
            }
        }
        Path taskDir = dir.resolve(TASK_DIR);
        Files.createDirectories(taskDir);
        state.task().loadState(taskDir);
        if (meta.get("examples") instanceof Number examples) {
            state.restoreExamples(examples.longValue());
        }
        return ((Number) meta.get("step")).longValue();
    }

    /** Parameters of {@code block} by their stable path name. */
    static Map<String, Parameter> names(Block block) {
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            map.put(pair.getKey(), pair.getValue());
        }
        return map;
    }

    private static void writeParameters(Block block, DataOutputStream out) throws IOException {
        Map<String, Parameter> params = names(block);
        out.writeUTF(FORMAT + "-params");
        out.writeInt(VERSION);
        out.writeInt(params.size());
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            out.writeUTF(e.getKey());
            byte[] bytes = e.getValue().getArray().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static void readParameters(Block block, NDManager manager, DataInputStream in, Path dir)
            throws IOException {
        String header = in.readUTF();
        int version = in.readInt();
        if (!(FORMAT + "-params").equals(header) || version != VERSION) {
            throw new IOException("parameter file in " + dir + " has header " + header + " v" + version);
        }
        Map<String, Parameter> params = names(block);
        int count = in.readInt();
        if (count != params.size()) {
            throw new IOException(
                    "checkpoint " + dir + " has " + count + " parameters, the model has " + params.size());
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            Parameter parameter = params.get(name);
            if (parameter == null) {
                throw new IOException("checkpoint " + dir + " has parameter '" + name + "' the model lacks");
            }
            try (NDArray saved = NDArray.decode(manager, bytes)) {
                NDArray live = parameter.getArray();
                if (!saved.getShape().equals(live.getShape())) {
                    throw new IOException("parameter '" + name + "' has shape " + saved.getShape() + " in " + dir
                            + ", the model expects " + live.getShape());
                }
                saved.copyTo(live);
            }
        }
    }

    private static DataOutputStream open(Path path) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path)));
    }

    private static DataInputStream openIn(Path path) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(path)));
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
