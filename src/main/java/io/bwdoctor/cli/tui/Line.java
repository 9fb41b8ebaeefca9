package io.bwdoctor.cli.tui;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * A header line made of ranked segments: when it does not fit, the segments with the highest rank go first (rank 0
 * never goes), so a narrow terminal shows less rather than wrapping. Right segments are aligned to the right edge.
 */
final class Line {
    private record Segment(String text, AttributedStyle style, int rank, boolean right) {}

    private final List<Segment> segments = new ArrayList<>();

    Line add(String text, AttributedStyle style, int rank) {
        segments.add(new Segment(text, style, rank, false));
        return this;
    }

    Line add(String text, int rank) {
        return add(text, AttributedStyle.DEFAULT, rank);
    }

    Line right(String text, AttributedStyle style, int rank) {
        segments.add(new Segment(text, style, rank, true));
        return this;
    }

    AttributedString fit(int width) {
        List<Segment> kept = new ArrayList<>(segments);
        while (width(kept) > width) {
            int worst = kept.stream().mapToInt(Segment::rank).max().orElse(0);
            if (worst == 0) {
                break;
            }
            kept.removeIf(s -> s.rank() == worst);
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        for (Segment s : kept) {
            if (!s.right()) {
                b.append(s.text(), s.style());
            }
        }
        int right = kept.stream().filter(Segment::right).mapToInt(s -> Text.width(s.text())).sum();
        if (right > 0) {
            b.append(" ".repeat(Math.max(1, width - b.columnLength() - right)));
            for (Segment s : kept) {
                if (s.right()) {
                    b.append(s.text(), s.style());
                }
            }
        }
        return Table.limit(b.toAttributedString(), width);
    }

    private static int width(List<Segment> kept) {
        int w = 0;
        boolean right = false;
        for (Segment s : kept) {
            w += Text.width(s.text());
            right |= s.right();
        }
        return right ? w + 1 : w;
    }
}
