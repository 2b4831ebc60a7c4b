package org.ccm.admin;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.jspecify.annotations.Nullable;

/**
 * Two renderings of a document compared page by page as pictures: the areas where the new
 * version's pixels differ from the published one's are outlined, so an approver sees what
 * moved, grew or disappeared, not only which words changed.
 *
 * @param pages one comparison per page of the longer document
 */
public record ProofComparison(List<Page> pages) {

	/** Squares, in pixels at {@link #DPI}, compared as a whole. */
	static final int CELL = 8;

	static final int DPI = 60;

	/**
	 * @param before the published page as a PNG data URI, null when the page is new
	 * @param after the new page with its changed areas outlined, null when it is gone
	 * @param changedAreas how many areas differ
	 */
	public record Page(int number, @Nullable String before, @Nullable String after, int changedAreas) {
	}

	public int changedAreas() {
		return this.pages.stream().mapToInt(Page::changedAreas).sum();
	}

	static ProofComparison of(byte[] before, byte[] after) {
		List<BufferedImage> old = render(before);
		List<BufferedImage> now = render(after);
		List<Page> pages = new ArrayList<>();
		for (int i = 0; i < Math.max(old.size(), now.size()); i++) {
			BufferedImage a = (i < old.size()) ? old.get(i) : null;
			BufferedImage b = (i < now.size()) ? now.get(i) : null;
			if (a == null || b == null) {
				pages.add(new Page(i + 1, (a != null) ? png(a) : null, (b != null) ? png(outlineAll(b)) : null, 1));
				continue;
			}
			int changed = outlineChanges(a, b);
			pages.add(new Page(i + 1, png(a), png(b), changed));
		}
		return new ProofComparison(pages);
	}

	/**
	 * Outlines, on the new page, each area of neighbouring cells whose pixels differ from
	 * the old page's; the count of such areas.
	 */
	private static int outlineChanges(BufferedImage before, BufferedImage after) {
		int columns = (Math.max(before.getWidth(), after.getWidth()) + CELL - 1) / CELL;
		int rows = (Math.max(before.getHeight(), after.getHeight()) + CELL - 1) / CELL;
		boolean[][] changed = new boolean[rows][columns];
		for (int row = 0; row < rows; row++) {
			for (int column = 0; column < columns; column++) {
				changed[row][column] = differs(before, after, column * CELL, row * CELL);
			}
		}
		List<int[]> areas = areas(changed);
		Graphics2D g = after.createGraphics();
		for (int[] area : areas) {
			int x = area[0] * CELL - 2;
			int y = area[1] * CELL - 2;
			int width = (area[2] - area[0] + 1) * CELL + 4;
			int height = (area[3] - area[1] + 1) * CELL + 4;
			g.setColor(new Color(220, 0, 60, 28));
			g.fillRect(x, y, width, height);
			g.setColor(new Color(200, 0, 40));
			g.setStroke(new BasicStroke(2f));
			g.drawRect(x, y, width, height);
		}
		g.dispose();
		return areas.size();
	}

	/**
	 * Bounding boxes (first column, first row, last column, last row) of the groups of
	 * changed cells that touch, corners included.
	 */
	static List<int[]> areas(boolean[][] changed) {
		int rows = changed.length;
		int columns = (rows > 0) ? changed[0].length : 0;
		boolean[][] seen = new boolean[rows][columns];
		List<int[]> areas = new ArrayList<>();
		ArrayDeque<int[]> queue = new ArrayDeque<>();
		for (int row = 0; row < rows; row++) {
			for (int column = 0; column < columns; column++) {
				if (!changed[row][column] || seen[row][column]) {
					continue;
				}
				int[] box = { column, row, column, row };
				seen[row][column] = true;
				queue.add(new int[] { row, column });
				while (!queue.isEmpty()) {
					int[] cell = queue.poll();
					box[0] = Math.min(box[0], cell[1]);
					box[1] = Math.min(box[1], cell[0]);
					box[2] = Math.max(box[2], cell[1]);
					box[3] = Math.max(box[3], cell[0]);
					for (int dr = -1; dr <= 1; dr++) {
						for (int dc = -1; dc <= 1; dc++) {
							int r = cell[0] + dr;
							int c = cell[1] + dc;
							if (r >= 0 && r < rows && c >= 0 && c < columns && changed[r][c] && !seen[r][c]) {
								seen[r][c] = true;
								queue.add(new int[] { r, c });
							}
						}
					}
				}
				areas.add(box);
			}
		}
		return areas;
	}

	private static boolean differs(BufferedImage a, BufferedImage b, int x0, int y0) {
		for (int y = y0; y < y0 + CELL; y++) {
			for (int x = x0; x < x0 + CELL; x++) {
				int p = (x < a.getWidth() && y < a.getHeight()) ? a.getRGB(x, y) : 0xFFFFFFFF;
				int q = (x < b.getWidth() && y < b.getHeight()) ? b.getRGB(x, y) : 0xFFFFFFFF;
				if (distance(p, q) > 48) {
					return true;
				}
			}
		}
		return false;
	}

	private static int distance(int p, int q) {
		return Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF)) + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
				+ Math.abs((p & 0xFF) - (q & 0xFF));
	}

	private static BufferedImage outlineAll(BufferedImage page) {
		Graphics2D g = page.createGraphics();
		g.setColor(new Color(200, 0, 40));
		g.setStroke(new BasicStroke(4f));
		g.drawRect(2, 2, page.getWidth() - 4, page.getHeight() - 4);
		g.dispose();
		return page;
	}

	static List<BufferedImage> render(byte[] pdf) {
		try (PDDocument document = Loader.loadPDF(pdf)) {
			PDFRenderer renderer = new PDFRenderer(document);
			List<BufferedImage> pages = new ArrayList<>();
			for (int page = 0; page < document.getNumberOfPages() && page < 10; page++) {
				pages.add(renderer.renderImageWithDPI(page, DPI, ImageType.RGB));
			}
			return pages;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String png(BufferedImage image) {
		try {
			ByteArrayOutputStream png = new ByteArrayOutputStream();
			ImageIO.write(image, "png", png);
			return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
