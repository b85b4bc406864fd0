package dev.dumpflow.cli;

import dev.dumpflow.events.IndexRecord;
import java.io.Console;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dumpflow dumps}: lists, shows and downloads stored dumps through the download gate, which
 * checks the caller's Kubernetes rights and keeps the audit trail. Runs in-process too: {@link
 * #run} takes the arguments, the environment and the streams.
 */
public final class DumpsCommand {

    static final String USAGE =
            """
            usage: dumpflow dumps [--url URL] [--token TOKEN] COMMAND
              ls [--namespace NS] [--workload W] [--since AGE]
                                    the dumps of a namespace, newest first: id, time,
                                    namespace/workload/pod, cause, raw and stored size, top class.
                                    NS defaults to the kubeconfig context's namespace, else
                                    "default"; AGE is 7d, 12h, 30m, or ISO-8601 (P7D, PT12H)
              show ID               one dump's record: where it came from, what filled the heap,
                                    what grew since the workload's previous dump, Kubernetes context
              get ID [-o FILE] [--decompress]
                                    downloads the dump, checks its SHA-256 against the record and
                                    writes FILE (default: the stored name, ID.hprof.zst, here; the
                                    raw ID.hprof with --decompress). A damaged download writes nothing
              --url URL             the download gate; default: DUMPFLOW_URL
              --token TOKEN         the Kubernetes bearer token; default: DUMPFLOW_TOKEN, then the
                                    token of the current kubeconfig context's user (KUBECONFIG or
                                    ~/.kube/config; exec plugins and auth providers are not run)
            Exit status: 0 done, 1 a file could not be written or an answer was unusable, 2 wrong
            usage or no gate URL, 3 the gate or the storage cannot be reached, 4 the token is
            missing or refused (401), 5 not allowed in that namespace (403), 6 no such dump or not
            yours to get (404), 7 the download does not match the record's SHA-256.""";

    private static final Pattern AGE = Pattern.compile("([0-9]{1,6})([dhm])");

    private DumpsCommand() {}

    /**
     * Runs the command with this process's environment and streams, and exits with its status. The
     * progress bar is drawn when the process has an interactive console.
     */
    public static void main(String[] args) {
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        System.exit(run(args, System.getenv(), System.out, System.err, terminal));
    }

    /**
     * Runs the command; returns the exit status.
     *
     * @param env the environment ({@code DUMPFLOW_URL}, {@code DUMPFLOW_TOKEN}, {@code KUBECONFIG},
     *     {@code HOME})
     * @param terminal whether stderr is a terminal, for the progress bar of {@code get}
     */
    public static int run(
            String[] args,
            Map<String, String> env,
            PrintStream out,
            PrintStream err,
            boolean terminal) {
        try {
            Options options = Options.parse(args);
            if (options.help) {
                out.println(USAGE);
                return 0;
            }
            if (options.positional.isEmpty()) {
                throw CliFailure.usage("which command? ls, show or get");
            }
            Kubeconfig kubeconfig = Kubeconfig.read(Kubeconfig.location(env));
            GateClient gate =
                    new GateClient(
                            gateUrl(options.url, env),
                            Token.resolve(options.token, env, kubeconfig));
            String command = options.positional.getFirst();
            List<String> rest = options.positional.subList(1, options.positional.size());
            switch (command) {
                case "ls" -> {
                    none(rest, "ls");
                    String namespace =
                            options.namespace != null
                                    ? options.namespace
                                    : kubeconfig.namespace().orElse("default");
                    out.print(
                            DumpTable.of(
                                    gate.list(namespace, options.workload, since(options.since))));
                }
                case "show" -> out.print(RecordReport.of(gate.record(one(rest, "show"))));
                case "get" -> {
                    IndexRecord record = gate.record(one(rest, "get"));
                    Path output = output(record, options.output, options.decompress);
                    new DumpDownload(gate, err, terminal).fetch(record, output, options.decompress);
                    out.println(output + " (SHA-256 verified)");
                }
                default -> throw CliFailure.usage("unknown command '" + command + "'");
            }
            out.flush();
            return 0;
        } catch (CliFailure e) {
            err.println("dumpflow dumps: " + e.getMessage());
            if (e.kind() == CliFailure.Kind.USAGE) {
                err.println(USAGE);
            }
            return e.kind().exitStatus;
        }
    }

    private static URI gateUrl(String flag, Map<String, String> env) throws CliFailure {
        String url = flag != null ? flag : env.get("DUMPFLOW_URL");
        if (url == null || url.isBlank()) {
            throw CliFailure.usage(
                    "where is the gate? pass --url or set DUMPFLOW_URL (for example"
                            + " https://dumpflow-gate.dumpflow.svc)");
        }
        try {
            URI uri = new URI(url.strip());
            if (uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw CliFailure.usage(
                        "the gate URL must be http or https with a host, not " + url);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CliFailure.usage("the gate URL is not a URL: " + url);
        }
    }

    /** {@code 7d} as {@code P7D}, {@code 12h} as {@code PT12H}; ISO-8601 is passed on as it is. */
    static String since(String age) throws CliFailure {
        if (age == null) {
            return null;
        }
        Matcher short_ = AGE.matcher(age.toLowerCase(Locale.ROOT));
        if (short_.matches()) {
            String n = short_.group(1);
            return switch (short_.group(2)) {
                case "d" -> "P" + n + "D";
                case "h" -> "PT" + n + "H";
                default -> "PT" + n + "M";
            };
        }
        String iso = age.toUpperCase(Locale.ROOT);
        try {
            if (iso.contains("T")) {
                Duration.parse(iso);
            } else {
                Period.parse(iso);
            }
            return iso;
        } catch (DateTimeParseException e) {
            throw CliFailure.usage(
                    "--since takes an age such as 7d, 12h, 30m or P7D, not '" + age + "'");
        }
    }

    private static Path output(IndexRecord record, String flag, boolean decompress) {
        if (flag != null) {
            return Path.of(flag);
        }
        // The key ends in {dumpId}.{format}.zst, a name already checked by the events' records.
        String stored = record.key().substring(record.key().lastIndexOf('/') + 1);
        return Path.of(
                decompress && stored.endsWith(".zst")
                        ? stored.substring(0, stored.length() - 4)
                        : stored);
    }

    private static void none(List<String> rest, String command) throws CliFailure {
        if (!rest.isEmpty()) {
            throw CliFailure.usage(command + " takes no argument, not " + rest.getFirst());
        }
    }

    private static String one(List<String> rest, String command) throws CliFailure {
        if (rest.size() != 1) {
            throw CliFailure.usage(command + " takes one dump id (from dumpflow dumps ls)");
        }
        return rest.getFirst();
    }

    /** The command line, options in any position. */
    private static final class Options {
        final List<String> positional = new ArrayList<>();
        String url;
        String token;
        String namespace;
        String workload;
        String since;
        String output;
        boolean decompress;
        boolean help;

        static Options parse(String[] args) throws CliFailure {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--url" -> options.url = value(args, ++i, arg);
                    case "--token" -> options.token = value(args, ++i, arg);
                    case "--namespace", "-n" -> options.namespace = value(args, ++i, arg);
                    case "--workload" -> options.workload = value(args, ++i, arg);
                    case "--since" -> options.since = value(args, ++i, arg);
                    case "-o", "--output" -> options.output = value(args, ++i, arg);
                    case "--decompress" -> options.decompress = true;
                    case "-h", "--help" -> options.help = true;
                    default -> {
                        if (arg.startsWith("-")) {
                            throw CliFailure.usage("unknown option " + arg);
                        }
                        options.positional.add(arg);
                    }
                }
            }
            return options;
        }

        private static String value(String[] args, int i, String option) throws CliFailure {
            if (i >= args.length || args[i].isBlank()) {
                throw CliFailure.usage(option + " needs a value");
            }
            return args[i];
        }
    }
}
