package io.bwdoctor.cli.tui;

/** The three tables of the screen, switched with 1/2/3 or Tab. */
public enum View {
    PROCESSES("processes"),
    CONNECTIONS("connections"),
    REMOTES("remote hosts");

    private final String label;

    View(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    View next() {
        return values()[(ordinal() + 1) % values().length];
    }
}
