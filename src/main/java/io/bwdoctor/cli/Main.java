package io.bwdoctor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: the `bwdoctor` command and its sub-commands. */
@Command(name = "bwdoctor", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Finds out why a server's bandwidth is saturated, and says what to do about it.")
public final class Main implements Runnable {
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
        return new CommandLine(new Main()).execute(args);
    }
}
