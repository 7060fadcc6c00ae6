package dev.uvgl.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row per query: the drone photo, then its top 5 tiles, each framed green (correct place) or
 * red (wrong) with its rank and score underneath. A file that does not decode is drawn as a grey
 * cell marked "unreadable" and listed in the notes, so one bad file does not lose the picture.
 */
public final class QueryMosaic {
    public static final int TOP = 5, CELL = 160, CAPTION = 22, GAP = 8, FRAME = 5, SEPARATOR = 24;
    static final Color CORRECT = new Color(0x1e, 0xa0, 0x3c), WRONG = new Color(0xd0, 0x20, 0x20);

    private QueryMosaic() {}

    public static int width() { return GAP + CELL + SEPARATOR + TOP * (CELL + GAP); }

    public static int height(int queries) { return GAP + queries * (CELL + CAPTION + GAP); }

    /** Draws the rows and returns the notes (unreadable files, hits beyond the top 5 left out). */
    public static List<String> write(Path png, List<QueryHits> queries) throws IOException {
        if (queries.isEmpty()) throw new IllegalArgumentException("no queries to draw");
        Png.headless();
        List<String> notes = new ArrayList<>();
        BufferedImage img = new BufferedImage(width(), height(queries.size()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            for (int r = 0; r < queries.size(); r++) {
                QueryHits q = queries.get(r);
                int y = GAP + r * (CELL + CAPTION + GAP);
                cell(g, q.query(), GAP, y, notes);
                caption(g, q.query().getFileName().toString(), GAP, y, Color.BLACK);
                if (q.hits().size() > TOP)
                    notes.add(q.query() + ": drew the top " + TOP + " of " + q.hits().size() + " hits");
                for (int k = 0; k < Math.min(TOP, q.hits().size()); k++) {
                    QueryHits.Tile t = q.hits().get(k);
                    int x = GAP + CELL + SEPARATOR + k * (CELL + GAP);
                    cell(g, t.path(), x, y, notes);
                    Color c = t.correct() ? CORRECT : WRONG;
                    g.setColor(c);
                    g.setStroke(new BasicStroke(FRAME));
                    g.drawRect(x + FRAME / 2, y + FRAME / 2, CELL - FRAME, CELL - FRAME);
                    caption(g, String.format("#%d  %.3f", k + 1, t.score()), x, y, c);
                }
            }
        } finally {
            g.dispose();
        }
        Png.write(png, img);
        return notes;
    }

    private static void cell(Graphics2D g, Path file, int x, int y, List<String> notes) {
        BufferedImage src = null;
        try {
            src = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            // drawn as unreadable below
        }
        if (src == null) {
            notes.add(file + ": unreadable, drawn as a grey cell");
            g.setColor(Color.LIGHT_GRAY);
            g.fillRect(x, y, CELL, CELL);
            g.setColor(Color.DARK_GRAY);
            g.drawString("unreadable", x + 8, y + CELL / 2);
            return;
        }
        g.drawImage(src, x, y, CELL, CELL, null);
    }

    private static void caption(Graphics2D g, String text, int x, int y, Color c) {
        g.setColor(c);
        g.drawString(text, x + 2, y + CELL + CAPTION - 6);
    }
}
