package dev.paperlab.examples;

import dev.paperlab.framework.nn.ConvGuard;
import dev.paperlab.training.DivergenceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point: {@code mvn -q -pl examples exec:java -Dexec.args="vae --epochs 1"}. */
@Command(
        name = "paperlab",
        mixinStandardHelpOptions = true,
        version = "paperlab 0.1.0",
        description = "Research-paper implementations on DJL, trained end to end.",
        subcommands = {
            TourCommand.class,
            VaeCommand.class,
            GanCommand.class,
            DdpmCommand.class,
            LmCommand.class,
            LoraCommand.class,
            GenerateCommand.class,
            BpeCommand.class,
            ReinforceCommand.class,
            SimclrCommand.class,
            DeriveCommand.class,
            ClassifyCommand.class,
            ExperimentCommand.class
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line: offline, headless, clear messages for bad input. */
    public static CommandLine commandLine() {
        ConvGuard.configureBeforeEngineLoad(); // before anything loads libtorch
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return configure(new CommandLine(new Main()));
    }

    /**
     * Applies the conventions of every paperlab command line: enum values by name in any case
     * (listed in lower case), and bad input (a bad option value, an unreadable or corrupt input
     * file, a diverged run) ends with one {@code error: ...} line and exit code 2. An unknown
     * option or command, or a missing subcommand, also prints the usage; any other failure is a
     * bug and keeps its stack trace.
     */
    static CommandLine configure(CommandLine cli) {
        Set<Class<?>> enums = new LinkedHashSet<>();
        collectEnumTypes(cli, enums);
        enums.forEach(type -> registerEnum(cli, type));
        cli.setParameterExceptionHandler(BAD_ARGUMENTS);
        cli.setExecutionExceptionHandler(BAD_INPUT);
        return cli;
    }

    private static void collectEnumTypes(CommandLine cli, Set<Class<?>> into) {
        for (OptionSpec option : cli.getCommandSpec().options()) {
            if (option.type().isEnum()) {
                into.add(option.type());
            }
        }
        cli.getSubcommands().values().forEach(sub -> collectEnumTypes(sub, into));
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // option types are only known at run time
    private static void registerEnum(CommandLine cli, Class<?> type) {
        cli.registerConverter((Class) type, lowerCaseEnum((Class) type));
    }

    /**
     * Reads an enum value by its constant's name in any case and, for a bad value, lists the
     * names in lower case, as the help does and as users type them.
     */
    static <E extends Enum<E>> ITypeConverter<E> lowerCaseEnum(Class<E> type) {
        return value -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            List<String> names = Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toList();
            throw new TypeConversionException("expected one of " + names + " but was '" + value + "'");
        };
    }

    private static final IParameterExceptionHandler BAD_ARGUMENTS = (e, args) -> {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + e.getMessage());
        if (e instanceof UnmatchedArgumentException
                || e instanceof MissingParameterException
                || !cmd.getSubcommands().isEmpty()) { // e.g. bpe without train, encode or stats
            UnmatchedArgumentException.printSuggestions(e, err);
            cmd.usage(err); // the usage always, as the README promises, suggestion or not
        }
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    };

    private static final IExecutionExceptionHandler BAD_INPUT = (e, cmd, parseResult) -> {
        String message = badInputMessage(e);
        if (message == null) {
            throw e;
        }
        cmd.getErr().println("error: " + message);
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    };

    /**
     * The one-line message for bad input anywhere in {@code e}'s cause chain: invalid arguments,
     * input files that cannot be read or are corrupt (I/O failures), a diverged run; else null.
     */
    static String badInputMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof DivergenceException) {
                return oneLine(e == t ? t.getMessage() : e.getMessage());
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                Throwable io = t instanceof UncheckedIOException u ? u.getCause() : t;
                // a FileSystemException's message is only the path: say what went wrong with it
                String what = io instanceof FileSystemException fs
                        ? fs.getMessage() + " (" + io.getClass().getSimpleName() + ")"
                        : io.getMessage();
                return oneLine(e == t || e == io ? what : e.getMessage());
            }
        }
        return null;
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ");
    }

    public static void main(String[] args) {
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            // libtorch's OpenMP threads spin by default; on a busy machine that costs up to 10x
            System.err.println("hint: export OMP_NUM_THREADS=<cores> OMP_WAIT_POLICY=PASSIVE"
                    + " ATEN_CPU_CAPABILITY=avx2 (README, Performance settings)");
        }
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
