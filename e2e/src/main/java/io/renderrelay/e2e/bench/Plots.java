package io.renderrelay.e2e.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts drawn with JFreeChart (headless): line charts and bar charts, axes from zero with
 * JFreeChart's standard tick units (1, 2, 5 × 10^n), so ticks read as round numbers.
 */
public final class Plots {

  /** One line: points (x[i], y[i]). */
  public record Series(String name, Color color, double[] x, double[] y) {}

  /** One bar. */
  public record Bar(String label, Color color, double value) {}

  private static final int W = 900;
  private static final int H = 500;
  private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
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
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.name(), false, true);
      for (int i = 0; i < s.x().length; i++) {
        xy.add(s.x()[i], s.y()[i]);
      }
      data.addSeries(xy);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, series.get(i).color());
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesShapesVisible(i, series.get(i).x().length == 1);
    }
    plot.setRenderer(renderer);
    style(plot.getDomainAxis() instanceof NumberAxis a ? a : null);
    style(plot.getRangeAxis() instanceof NumberAxis a ? a : null);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    write(chart, file);
  }

  /** A bar chart with the values printed above the bars. */
  public static void bars(Path file, String title, String yLabel, List<Bar> bars)
      throws IOException {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Bar b : bars) {
      data.addValue(b.value(), "value", b.label());
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, "", yLabel, data, PlotOrientation.VERTICAL, false, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    BarRenderer renderer =
        new BarRenderer() {
          private static final long serialVersionUID = 1L;

          @Override
          public Paint getItemPaint(int row, int column) {
            return bars.get(column).color();
          }
        };
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setMaximumBarWidth(0.18);
    renderer.setDefaultItemLabelGenerator(
        new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("#,##0.###")));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(LABELS);
    plot.setRenderer(renderer);
    NumberAxis range = (NumberAxis) plot.getRangeAxis();
    style(range);
    range.setUpperMargin(0.15);
    plot.getDomainAxis().setTickLabelFont(LABELS);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    write(chart, file);
  }

  /** Axis from zero, round ticks, readable fonts. */
  private static void style(NumberAxis axis) {
    if (axis == null) {
      return;
    }
    axis.setAutoRangeIncludesZero(true);
    axis.setStandardTickUnits(NumberAxis.createStandardTickUnits());
    axis.setTickLabelFont(TICKS);
    axis.setLabelFont(LABELS);
  }

  private static void write(JFreeChart chart, Path file) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    ChartUtils.saveChartAsPNG(file.toFile(), chart, W, H);
  }
}
