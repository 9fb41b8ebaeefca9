package io.bwdoctor.cli;

import io.bwdoctor.cli.output.IncidentOutput;
import io.bwdoctor.core.incident.Incident;
import io.bwdoctor.core.text.Safe;
import io.bwdoctor.storage.IncidentStore;
import io.bwdoctor.storage.StoreException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `bwdoctor incidents list|show|export`: reads what the guard recorded (read-only; never creates the database). */
@Command(name = "incidents", mixinStandardHelpOptions = true,
        description = "Lists and shows the saturation incidents the guard recorded.",
        subcommands = {IncidentsCommand.ListIncidents.class, IncidentsCommand.Show.class,
                IncidentsCommand.Export.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the database or the incident could not be read", "2:bad usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  sudo bwdoctor incidents list", "  sudo bwdoctor incidents show 12",
                "  sudo bwdoctor incidents export 12 --format markdown > ticket.md"})
final class IncidentsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    enum Format { table, json, markdown }

    static final class Common {
        @Option(names = "--db", paramLabel = "PATH", description = "The guard's database (default: ${DEFAULT-VALUE}).")
        Path db = IncidentStore.DEFAULT_PATH;
    }

    /** Opens the store, runs the body, and turns store errors into one line and exit 1. */
    private interface Body {
        int run(IncidentStore store, PrintStream out) throws StoreException;
    }

    private static int withStore(Common common, Body body) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (IncidentStore store = IncidentStore.openExisting(common.db)) {
            int exit = body.run(store, out);
            out.flush();
            return exit;
        } catch (StoreException e) {
            out.flush();
            System.err.println("bwdoctor: " + Safe.terminal(e.getMessage()));
            return Main.EXIT_INPUT;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The most recent incidents, newest first.")
    static final class ListIncidents implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), json or markdown.")
        Format format = Format.table;

        @Option(names = "--limit", paramLabel = "N", description = "At most N incidents (default: ${DEFAULT-VALUE}).")
        int limit = 20;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--limit must be at least 1");
            }
            return withStore(common, (store, out) -> {
                var list = store.list(limit);
                switch (format) {
                    case json -> out.println(IncidentOutput.jsonList(list));
                    case markdown -> IncidentOutput.markdownList(list, out);
                    case table -> IncidentOutput.tableList(list, out);
                }
                return 0;
            });
        }
    }

    abstract static class OneIncident implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(paramLabel = "ID", description = "The incident's number (see `bwdoctor incidents list`).")
        long id;

        abstract Format format();

        @Override
        public Integer call() {
            return withStore(common, (store, out) -> {
                Optional<Incident> incident = store.get(id);
                if (incident.isEmpty()) {
                    System.err.println("bwdoctor: no incident " + id + " in " + Safe.terminal(store.path().toString())
                            + " (see `bwdoctor incidents list`)");
                    return Main.EXIT_INPUT;
                }
                String note = store.summary(id).map(IncidentStore.Summary::note).orElse(null);
                switch (format()) {
                    case json -> out.println(IncidentOutput.json(incident.get(), note));
                    case markdown -> IncidentOutput.markdown(incident.get(), note, out);
                    case table -> IncidentOutput.table(incident.get(), note, out);
                }
                return 0;
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One incident: when, how full, who (with evidence), what to do.")
    static final class Show extends OneIncident {
        @Option(names = "--format", paramLabel = "FORMAT", description = "table (default), json or markdown.")
        Format format = Format.table;

        @Override
        Format format() {
            return format;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "One incident with everything recorded, including the full diagnose report (JSON), or as a "
                    + "ticket-ready Markdown summary.")
    static final class Export extends OneIncident {
        @Option(names = "--format", paramLabel = "FORMAT", description = "json (default), markdown or table.")
        Format format = Format.json;

        @Override
        Format format() {
            return format;
        }
    }
}
