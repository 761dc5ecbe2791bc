package dev.paperlab.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs a command line in-process as a user would, capturing the exit code and stderr. */
record CommandRun(int code, String err) {

    static CommandRun of(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        return new CommandRun(cli.execute(args), err.toString());
    }

    /** The {@code summary.json} a command wrote into {@code out}. */
    static Map<?, ?> summary(Path out) throws Exception {
        return new ObjectMapper().readValue(out.resolve("summary.json").toFile(), Map.class);
    }
}
