package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main class of the project calls DJL's number overloads whose scalar autograd keeps
 * ({@code NDArray.mul/div/pow/maximum/minimum(Number)} and their in-place forms): their gradients
 * can be corrupted by a garbage collection, see {@code dev.paperlab.framework.nn.Scalars}. Reads
 * the compiled classes of every paperlab module on the test class path with {@code javap}.
 */
class ScalarOverloadsTest {
    private static final Pattern UNSAFE = Pattern.compile("Method ai/djl/ndarray/(NDArray|NDArrays)\\."
            + "(mul|div|pow|maximum|minimum|muli|divi|powi|rdiv|rdivi|rpow|rpowi):"
            + "\\((Lai/djl/ndarray/NDArray;)?Ljava/lang/Number;\\)"
            // DJL methods that call such an overload inside: swish is x * sigmoid(x.mul(beta))
            + "|Method ai/djl/nn/Activation\\.(swish|swishBlock):"
            + "|Method ai/djl/ndarray/internal/NDArrayEx\\.(swish):"
            // and L2Loss, which scales by its weight with mul(Number): use SquaredErrorLoss
            + "|Method ai/djl/training/loss/Loss\\.l2Loss:"
            + "|Method ai/djl/training/loss/L2Loss\\.\"<init>\":");

    @Test
    void noMainClassUsesTheUnsafeNumberOverloads() throws IOException {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        int scanned = 0;
        TreeSet<String> offenders = new TreeSet<>();
        TreeSet<String> modules = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            boolean dir = Files.isDirectory(path) && !path.endsWith("test-classes");
            boolean jar =
                    entry.endsWith(".jar") && path.getFileName().toString().startsWith("paperlab-");
            if (!dir && !jar) {
                continue;
            }
            List<String> classes = new ArrayList<>();
            try (FileSystem fs = jar ? FileSystems.newFileSystem(URI.create("jar:" + path.toUri()), Map.of()) : null) {
                Path root = jar ? fs.getPath("/") : path;
                Path pkg = root.resolve("dev/paperlab");
                if (!Files.isDirectory(pkg)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(pkg)) {
                    files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                        String name = root.relativize(f).toString();
                        classes.add(name.substring(0, name.length() - ".class".length())
                                .replace('/', '.'));
                    });
                }
            }
            modules.add(path.toString());
            List<String> args = new ArrayList<>(List.of("-c", "-p", "-cp", entry));
            args.addAll(classes);
            StringWriter out = new StringWriter();
            javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
            String current = "?";
            for (String line : out.toString().split("\n")) {
                if (!line.startsWith(" ") && line.contains("class ")) {
                    current = line.trim();
                }
                Matcher mm = UNSAFE.matcher(line);
                if (mm.find()) {
                    offenders.add(current + " calls " + mm.group());
                }
            }
            scanned += classes.size();
        }
        // framework, datasets, training, models and examples are all on this class path
        assertTrue(
                modules.size() >= 5 && scanned > 200,
                "found too little to scan: " + scanned + " classes in " + modules);
        assertTrue(
                offenders.isEmpty(),
                "use dev.paperlab.framework.nn.Scalars instead (for swish, x.mul(Activation.sigmoid(x))): "
                        + String.join("\n", offenders));
    }
}
