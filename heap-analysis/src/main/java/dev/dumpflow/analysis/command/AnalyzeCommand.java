package dev.dumpflow.analysis.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.dumpflow.analysis.AnalysisCap;
import dev.dumpflow.analysis.AnalysisSettings;
import dev.dumpflow.analysis.HeapAnalysis;
import dev.dumpflow.analysis.HprofAnalyzer;
import dev.dumpflow.events.HeapSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dumpflow analyze}: summarises a heap dump on disk with the archive's own analyzer and
 * settings, as text for people or as the {@link HeapSummary} JSON the index record holds.
 */
public final class AnalyzeCommand {

    static final String USAGE =
            """
            usage: dumpflow analyze [--json] [--top N] [--memory-budget SIZE] [--stack-trace] FILE
              FILE                  an .hprof, .hprof.gz, or a dump the archive stored (.zst);
                                    the format is told by the file's first bytes, not its name
              --json                print the HeapSummary JSON an index record holds, on one line
              --top N               list N classes (default 20, as the archive does)
              --memory-budget SIZE  the most the analysis holds for the dump's strings, ids and
                                    classes, in bytes or with k, m or g (binary units); from 1m to
                                    the smaller of 4g and half the max heap (-Xmx; default: a
                                    quarter of it). A dump that needs more is summarised up to
                                    the cap it reaches, and says so
              --stack-trace         print the cause's stack trace when it fails
            Exit status: 0 summarised (partial figures past a memory cap included), 1 the file is
            missing, not a heap dump, cut off or corrupt, 2 wrong usage.""";

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})([kmg]?)");

    /** Serialised as the functions' index writes it: Jackson with the events' annotations. */
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private AnalyzeCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean stackTrace = false;
        try {
            boolean json = false;
            AnalysisSettings settings = AnalysisSettings.defaults();
            Path file = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--json" -> json = true;
                    case "--top" -> settings = settings.withTopClasses(count(args, ++i));
                    case "--memory-budget" -> settings = withMemoryBudget(settings, args, ++i);
                    case "--stack-trace" -> stackTrace = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        if (arg.startsWith("-")) {
                            throw AnalyzeFailure.usage("unknown option " + arg);
                        }
                        if (file != null) {
                            throw AnalyzeFailure.usage("one file at a time, not " + arg);
                        }
                        file = Path.of(arg);
                    }
                }
            }
            if (file == null) {
                throw AnalyzeFailure.usage("which file? name a heap dump");
            }
            HeapSummary summary = analyze(DumpFile.of(file), settings);
            out.print(json ? json(summary) + "\n" : HeapReport.text(summary));
            out.flush();
            if (summary.truncated()) {
                err.println(
                        "dumpflow analyze: partial figures: "
                                + summary.truncationReason()
                                + "; a larger --memory-budget (and -Xmx) reads further");
            }
            return 0;
        } catch (AnalyzeFailure e) {
            err.println("dumpflow analyze: " + e.getMessage());
            if (e.kind() == AnalyzeFailure.Kind.USAGE) {
                err.println(USAGE);
            } else if (stackTrace && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            return e.kind().exitStatus;
        }
    }

    /**
     * The file's summary; a dump that is cut off or corrupt fails, naming where and why. A dump
     * that only needs more memory than the budget allows is summarised up to the cap it reached.
     */
    static HeapSummary analyze(DumpFile dump, AnalysisSettings settings) throws AnalyzeFailure {
        Optional<HeapSummary> summary;
        try (InputStream in = dump.open()) {
            summary =
                    new HprofAnalyzer(settings)
                            .analyze(in, dump.format())
                            .map(HeapAnalysis::summary);
        } catch (IOException | UncheckedIOException e) {
            // The analyzer turns content problems into a partial summary: what is left is the
            // file itself, or its zstd layer, failing.
            throw AnalyzeFailure.damaged(
                    dump.path() + ": cannot be read to its end (" + e.getMessage() + ")", e);
        }
        if (summary.isEmpty()) {
            throw AnalyzeFailure.damaged(
                    dump.path() + ": no HPROF header: not a heap dump, or damaged at its start",
                    null);
        }
        if (summary.get().truncated()
                && AnalysisCap.named(summary.get().truncationReason()).isEmpty()) {
            throw AnalyzeFailure.damaged(
                    dump.path() + ": cut off or corrupt: " + summary.get().truncationReason(),
                    null);
        }
        return summary.get();
    }

    private static int count(String[] args, int i) throws AnalyzeFailure {
        String value = i < args.length ? args[i] : "";
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw AnalyzeFailure.usage("--top takes a positive number of classes, not '" + value + "'");
    }

    private static AnalysisSettings withMemoryBudget(
            AnalysisSettings settings, String[] args, int i) throws AnalyzeFailure {
        long bytes = size(args, i);
        try {
            return settings.withMemoryBudget(bytes);
        } catch (IllegalArgumentException e) {
            // The settings name the element; the command line spells it as an option.
            throw AnalyzeFailure.usage("--" + e.getMessage());
        }
    }

    private static long size(String[] args, int i) throws AnalyzeFailure {
        String value = i < args.length ? args[i] : "";
        Matcher size = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (size.matches()) {
            int shift =
                    switch (size.group(2)) {
                        case "k" -> 10;
                        case "m" -> 20;
                        case "g" -> 30;
                        default -> 0;
                    };
            try {
                long bytes = Long.parseLong(size.group(1));
                if (bytes <= Long.MAX_VALUE >> shift) {
                    return bytes << shift;
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
        }
        throw AnalyzeFailure.usage(
                "--memory-budget takes a size such as 64m, 1g or 1048576, not '" + value + "'");
    }

    static String json(HeapSummary summary) {
        try {
            return JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a HeapSummary always serialises", e);
        }
    }
}
