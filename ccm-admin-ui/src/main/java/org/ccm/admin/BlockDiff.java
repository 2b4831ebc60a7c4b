package org.ccm.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.github.difflib.text.DiffRow;
import com.github.difflib.text.DiffRowGenerator;
import org.ccm.templates.VersionChange;
import org.jspecify.annotations.Nullable;
import org.jsoup.Jsoup;

/**
 * One difference between two versions as an approver reads it: which text changed, in
 * plain words, and the words removed and added. HTML blocks are compared as the reader
 * sees their text; a change of formatting alone is said so.
 *
 * @param lines the merged text, HTML-escaped, with {@code <del>} and {@code <ins>} marks
 */
public record BlockDiff(String path, String label, VersionChange.Kind kind, List<String> lines,
		boolean formattingOnly) {

	private static final DiffRowGenerator WORDS = DiffRowGenerator.create()
		.showInlineDiffs(true)
		.inlineDiffByWord(true)
		.mergeOriginalRevised(true)
		.oldTag((start) -> start ? "<del>" : "</del>")
		.newTag((start) -> start ? "<ins>" : "</ins>")
		.build();

	static BlockDiff of(VersionChange change) {
		boolean html = change.path().startsWith("blocks.") && !change.path().endsWith(".kind")
				&& !change.path().endsWith(".slot");
		List<String> before = lines(change.before(), html);
		List<String> after = lines(change.after(), html);
		List<String> merged = new ArrayList<>();
		for (DiffRow row : WORDS.generateDiffRows(before, after)) {
			merged.add(row.getOldLine());
		}
		return new BlockDiff(change.path(), label(change.path()), change.kind(), merged,
				html && before.equals(after) && change.kind() == VersionChange.Kind.CHANGED);
	}

	private static List<String> lines(@Nullable String text, boolean html) {
		if (text == null) {
			return List.of();
		}
		String plain = html ? Jsoup.parse(text.replaceAll("(?i)<(p|li|h[1-6]|br|div|tr)\\b", "\n<$1")).wholeText()
				: text;
		return Arrays.stream(plain.split("\\R")).map(String::strip).filter((line) -> !line.isEmpty()).toList();
	}

	/**
	 * {@code blocks.intro.pl} becomes "Block intro (pl)".
	 */
	static String label(String path) {
		String[] parts = path.split("\\.");
		return switch (parts[0]) {
			case "title" -> "Title (" + parts[1] + ")";
			case "subject" -> "Email subject (" + parts[1] + ")";
			case "sms" -> "SMS text (" + parts[1] + ")";
			case "blocks" -> (parts.length > 2 && (parts[2].equals("kind") || parts[2].equals("slot")))
					? "Block " + parts[1] + ": " + parts[2]
					: "Block " + parts[1] + " (" + parts[parts.length - 1] + ")";
			case "dataSchema" -> "Data fields";
			case "attachPdfToEmail" -> "PDF attached to the email";
			default -> path;
		};
	}

}
