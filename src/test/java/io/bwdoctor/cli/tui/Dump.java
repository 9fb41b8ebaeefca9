package io.bwdoctor.cli.tui;

import java.time.ZoneOffset;

/** Prints a rendered fixture screen (manual look, not a test). */
public final class Dump {
    public static void main(String[] args) {
        int w = Integer.parseInt(args[0]);
        int h = Integer.parseInt(args[1]);
        UiState st = new UiState();
        st.zone = ZoneOffset.UTC;
        if (args.length > 2) {
            st.view = View.valueOf(args[2]);
        }
        Frame f = TopRenderer.render(Fixtures.snapshot(), st, w, h);
        System.out.print(f.text());
        if (args.length > 3) {
            for (var l : f.lines()) {
                System.out.println(l.toAnsi());
            }
        }
    }
}
