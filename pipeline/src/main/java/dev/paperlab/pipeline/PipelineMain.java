package dev.paperlab.pipeline;

import com.google.gson.GsonBuilder;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the pipeline jar: {@code mvn -q -pl pipeline exec:java -Dexec.args="corpus ..."}
 * locally, or the main class given to {@code spark-submit}. Bad input ends with one line {@code
 * error: ...} and exit code 2, as in the examples' command line.
 */
@Command(
        name = "paperlab-pipeline",
        mixinStandardHelpOptions = true,
        description = "Corpus preparation on Apache Spark.",
        subcommands = {CorpusCommand.class, PlantCommand.class})
public final class PipelineMain implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new PipelineMain()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            Throwable cause = e;
            while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IllegalArgumentException) {
                line.getErr().println("error: " + cause.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Prints the last line {@code RESULT <json>}, as the examples do. */
    static void printResult(Map<String, Object> result) {
        System.out.println("RESULT "
                + new GsonBuilder()
                        .serializeSpecialFloatingPointValues()
                        .create()
                        .toJson(result));
    }
}
