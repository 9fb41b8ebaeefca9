package io.bwdoctor.cli;

import io.bwdoctor.core.text.Safe;
import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: the `bwdoctor` command and its sub-commands. Errors become one line and an exit code, never a trace. */
@Command(name = "bwdoctor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Finds out why a server's bandwidth is saturated, and says what to do about it.",
        subcommands = {DiagnoseCommand.class, AnalyzeCommand.class, TopCommand.class, WhoCommand.class,
                GuardCommand.class, IncidentsCommand.class, ProtectCommand.class, UnprotectCommand.class,
                IntelCommand.class,
                AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:an input could not be read (or only in part)", "2:bad usage",
                "3:internal error"},
        footerHeading = "%nShell completion:%n",
        footer = "  source <(bwdoctor generate-completion)")
public final class Main implements Runnable {
    static final int EXIT_INPUT = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::badUsage);
        cli.setExecutionExceptionHandler(Main::internalError);
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cli.execute(args);
    }

    /** Enters a named network namespace for the current thread, or prints why not; false on failure. */
    static boolean enterNetns(String netns) {
        if (netns == null) {
            return true;
        }
        try {
            io.bwdoctor.platform.linux.NetworkNamespace.enter(netns);
            return true;
        } catch (io.bwdoctor.platform.linux.NetlinkException e) {
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
            return false;
        }
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
        String name = e.getCommandLine().getCommandSpec().qualifiedName();
        err.println("Try '" + (name.startsWith("bwdoctor") ? name : "bwdoctor " + name) + " --help'.");
        return EXIT_USAGE;
    }

    private static int internalError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if (e instanceof CommandLine.ParameterException pe) {
            return badUsage(pe, new String[0]);
        }
        PrintWriter err = cli.getErr();
        err.println("bwdoctor: internal error: " + Safe.terminal(String.valueOf(e))
                + " (set BWDOCTOR_DEBUG=1 for details, and please report it)");
        if (System.getenv("BWDOCTOR_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return EXIT_INTERNAL;
    }
}
