package org.ccm.templates;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What authors write in a template version: texts per locale (keys {@code default},
 * {@code pl}, {@code pl-PL}) and the blocks placed into the layout.
 *
 * @param title the document title (PDF metadata, portal heading)
 * @param subject the email subject
 * @param sms the SMS text
 * @param attachPdfToEmail whether the email carries the document as a PDF
 */
public record TemplateContent(Map<String, String> title, Map<String, String> subject, Map<String, String> sms,
		Boolean attachPdfToEmail, List<Block> blocks) {

	public TemplateContent(@Nullable Map<String, String> title, @Nullable Map<String, String> subject,
			@Nullable Map<String, String> sms, @Nullable Boolean attachPdfToEmail, @Nullable List<Block> blocks) {
		this.title = (title != null) ? Map.copyOf(title) : Map.of();
		this.subject = (subject != null) ? Map.copyOf(subject) : Map.of();
		this.sms = (sms != null) ? Map.copyOf(sms) : Map.of();
		this.attachPdfToEmail = Boolean.TRUE.equals(attachPdfToEmail);
		this.blocks = (blocks != null) ? List.copyOf(blocks) : List.of();
	}

}
