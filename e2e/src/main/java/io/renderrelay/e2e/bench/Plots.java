package io.renderrelay.e2e.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** PNG charts drawn with plain Java2D (headless): line charts and bar charts. */
public final class Plots {

  /** One line: points (x[i], y[i]). */
  public record Series(String name, Color color, double[] x, double[] y) {}

  /** One bar. */
  public record Bar(String label, Color color, double value) {}

  private static final int W = 900;
  private static final int H = 500;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  public static final Color BLUE = new Color(31, 119, 180);
  public static final Color ORANGE = new Color(255, 127, 14);
  public static final Color GREEN = new Color(44, 160, 44);
  public static final Color RED = new Color(214, 39, 40);
  public static final Color GREY = new Color(120, 120, 120);

  private Plots() {}

  /** A line chart of several series on shared axes starting at zero. */
  public static void lines(
      Path file, String title, String xLabel, String yLabel, List<Series> series)
      throws IOException {
    double maxX = 0;
    double maxY = 0;
    for (Series s : series) {
      for (double v : s.x()) {
        maxX = Math.max(maxX, v);
      }
      for (double v : s.y()) {
        maxY = Math.max(maxY, v);
      }
    }
    maxX = maxX <= 0 ? 1 : maxX;
    maxY = maxY <= 0 ? 1 : maxY * 1.1;
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img, title);
    axes(g, xLabel, yLabel, maxX, maxY);
    int legendY = TOP + 15;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(new BasicStroke(2f));
      for (int i = 1; i < s.x().length; i++) {
        g.drawLine(
            px(s.x()[i - 1], maxX), py(s.y()[i - 1], maxY), px(s.x()[i], maxX), py(s.y()[i], maxY));
      }
      if (s.x().length == 1) {
        g.fillOval(px(s.x()[0], maxX) - 4, py(s.y()[0], maxY) - 4, 8, 8);
      }
      g.fillRect(W - RIGHT - 260, legendY - 9, 14, 4);
      g.setColor(Color.DARK_GRAY);
      g.drawString(s.name(), W - RIGHT - 240, legendY - 3);
      legendY += 18;
    }
    write(img, g, file);
  }

  /** A bar chart with the values printed above the bars. */
  public static void bars(Path file, String title, String yLabel, List<Bar> bars)
      throws IOException {
    double maxY = bars.stream().mapToDouble(Bar::value).max().orElse(1) * 1.15;
    maxY = maxY <= 0 ? 1 : maxY;
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img, title);
    axes(g, "", yLabel, Double.NaN, maxY);
    int plotW = W - LEFT - RIGHT;
    int slot = plotW / Math.max(1, bars.size());
    int barW = Math.min(160, slot * 2 / 3);
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int x = LEFT + i * slot + (slot - barW) / 2;
      int y = py(b.value(), maxY);
      g.setColor(b.color());
      g.fillRect(x, y, barW, H - BOTTOM - y);
      g.setColor(Color.DARK_GRAY);
      String v = BenchResult.format(b.value());
      g.drawString(v, x + (barW - g.getFontMetrics().stringWidth(v)) / 2, y - 6);
      g.drawString(
          b.label(), x + (barW - g.getFontMetrics().stringWidth(b.label())) / 2, H - BOTTOM + 20);
    }
    write(img, g, file);
  }

  private static Graphics2D canvas(BufferedImage img, String title) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return g;
  }

  private static void axes(Graphics2D g, String xLabel, String yLabel, double maxX, double maxY) {
    g.setColor(new Color(230, 230, 230));
    for (int i = 0; i <= 5; i++) {
      int y = py(maxY * i / 5, maxY);
      g.drawLine(LEFT, y, W - RIGHT, y);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
    g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
    for (int i = 0; i <= 5; i++) {
      double v = maxY * i / 5;
      String s = tick(v);
      g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), py(v, maxY) + 4);
      if (!Double.isNaN(maxX)) {
        double xv = maxX * i / 5;
        String xs = tick(xv);
        g.drawString(xs, px(xv, maxX) - g.getFontMetrics().stringWidth(xs) / 2, H - BOTTOM + 18);
      }
    }
    g.drawString(
        xLabel, LEFT + (W - LEFT - RIGHT - g.getFontMetrics().stringWidth(xLabel)) / 2, H - 25);
    Graphics2D r = (Graphics2D) g.create();
    r.rotate(-Math.PI / 2);
    r.drawString(
        yLabel, -(TOP + (H - TOP - BOTTOM + r.getFontMetrics().stringWidth(yLabel)) / 2), 20);
    r.dispose();
  }

  private static String tick(double v) {
    if (v != 0 && Math.abs(v) < 10) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static int px(double x, double maxX) {
    return LEFT + (int) Math.round(x / maxX * (W - LEFT - RIGHT));
  }

  private static int py(double y, double maxY) {
    return H - BOTTOM - (int) Math.round(y / maxY * (H - TOP - BOTTOM));
  }

  private static void write(BufferedImage img, Graphics2D g, Path file) throws IOException {
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
