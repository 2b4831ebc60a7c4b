package org.ccm.admin;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

	/** Square areas, in pixels at {@link #DPI}, that are marked as changed as a whole. */
	static final int CELL = 12;

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
	 * Outlines, on the new page, every cell whose pixels differ from the old page's.
	 */
	private static int outlineChanges(BufferedImage before, BufferedImage after) {
		int width = Math.max(before.getWidth(), after.getWidth());
		int height = Math.max(before.getHeight(), after.getHeight());
		List<int[]> cells = new ArrayList<>();
		for (int y = 0; y < height; y += CELL) {
			for (int x = 0; x < width; x += CELL) {
				if (differs(before, after, x, y)) {
					cells.add(new int[] { x, y });
				}
			}
		}
		Graphics2D g = after.createGraphics();
		g.setColor(new Color(220, 0, 60, 60));
		for (int[] cell : cells) {
			g.fillRect(cell[0], cell[1], CELL, CELL);
		}
		g.setColor(new Color(200, 0, 40));
		g.setStroke(new BasicStroke(1.5f));
		for (int[] cell : cells) {
			g.drawRect(cell[0], cell[1], CELL, CELL);
		}
		g.dispose();
		return cells.size();
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
