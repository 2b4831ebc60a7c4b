package org.ccm.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.ccm.core.Channel;
import org.ccm.core.UnknownCustomerException;
import org.ccm.templates.ChannelPreview;
import org.ccm.templates.DataViolation;
import org.ccm.templates.InvalidTemplateDataException;
import org.ccm.templates.Previews;
import org.ccm.templates.ProofSet;
import org.ccm.templates.ProofSets;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateDefinition;
import org.ccm.templates.TemplateVersion;
import org.ccm.templates.UnsupportedChannelException;
import org.ccm.templates.VersionState;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The preview beside the editor and on a version's page: any version, drafts included,
 * for a chosen customer or a sample customer in a locale, as email (desktop or mobile
 * width), SMS, portal document or printed pages. Nothing is sent and no offer counted.
 */
@Controller
class TemplatePreviewPages {

	private final Previews previews;

	private final TemplateAuthoring authoring;

	private final ProofSets proofSets;

	TemplatePreviewPages(Previews previews, TemplateAuthoring authoring, ProofSets proofSets) {
		this.previews = previews;
		this.authoring = authoring;
		this.proofSets = proofSets;
	}

	/**
	 * What the preview shows and for whom.
	 *
	 * @param customer a customer's external id, or empty for a sample customer
	 * @param locale the sample customer's locale
	 * @param mobile email at a phone's width
	 * @param proofSets names of the template's proof sets
	 * @param proof the proof set chosen, or empty
	 */
	public record Options(String key, int version, List<Channel> channels, Channel channel, String customer,
			String locale, boolean mobile, List<String> proofSets, String proof) {

		static Options initial(TemplateDefinition template, int version, String locale, List<ProofSet> proofSets) {
			List<Channel> channels = ordered(template);
			return new Options(template.key(), version, channels, channels.get(0), "",
					locale.equals(EditorForm.DEFAULT) ? "en-GB" : locale, false,
					proofSets.stream().map(ProofSet::name).toList(), "");
		}

		private static List<Channel> ordered(TemplateDefinition template) {
			List<Channel> channels = new ArrayList<>();
			for (Channel channel : List.of(Channel.EMAIL, Channel.SMS, Channel.PORTAL, Channel.PRINT)) {
				if (template.channels().contains(channel)) {
					channels.add(channel);
				}
			}
			return channels;
		}

	}

	/**
	 * One rendered preview, or the reasons it could not be made.
	 *
	 * @param pages printed pages as PNG data URIs
	 */
	public record Rendered(Options options, @Nullable ChannelPreview preview, List<String> pages,
			EditorForm.@Nullable SmsCount sms, List<String> problems) {
	}

	@GetMapping("/admin/templates/{key}/versions/{version}/preview")
	String preview(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "channel", required = false) @Nullable Channel channel,
			@RequestParam(name = "customer", defaultValue = "") String customer,
			@RequestParam(name = "locale", defaultValue = "en-GB") String locale,
			@RequestParam(name = "width", defaultValue = "desktop") String width,
			@RequestParam(name = "proof", defaultValue = "") String proof, Model model, HttpServletRequest request) {
		TemplateDefinition template = this.authoring.template(key);
		Options initial = Options.initial(template, version, locale, this.proofSets.of(key));
		Options options = new Options(key, version, initial.channels(),
				(channel != null && initial.channels().contains(channel)) ? channel : initial.channel(),
				customer.strip(), locale, width.equals("mobile"), initial.proofSets(), proof);
		model.addAttribute("rendered", render(options, StaffRoles.customerData(request)));
		return "admin/template-preview :: output";
	}

	@GetMapping("/admin/templates/{key}/versions/{version}/preview.pdf")
	ResponseEntity<byte[]> pdf(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "customer", defaultValue = "") String customer,
			@RequestParam(name = "locale", defaultValue = "en-GB") String locale, HttpServletRequest request) {
		if (!customer.isBlank()) {
			StaffRoles.requireCustomerData(request);
		}
		List<ChannelPreview> previews = this.previews.preview(key, version,
				customer.isBlank() ? null : customer.strip(), null, List.of(Channel.PRINT),
				Locale.forLanguageTag(locale));
		if (previews.isEmpty() || previews.get(0).pdf() == null) {
			throw new PageNotFoundException("This template is not printed.");
		}
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_PDF)
			.header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + key + "-v" + version + "-proof.pdf\"")
			.body(previews.get(0).pdf());
	}

	/**
	 * @param customerData whether the staff member may see a real customer's data: others
	 * preview with sample data and proof sets that name no customer
	 */
	Rendered render(Options options, boolean customerData) {
		ProofSet set = options.proof().isEmpty() ? null
				: this.proofSets.find(options.key(), options.proof()).orElse(null);
		String customer = !options.customer().isEmpty() ? options.customer()
				: (set != null && set.customer() != null) ? set.customer() : null;
		if (customer != null && !customerData) {
			return problems(options, options.customer().isEmpty()
					? "The proof set “" + options.proof() + "” shows a real customer, whose data only marketers, "
							+ "operators and administrators see. Choose another proof set or the sample customer."
					: "Only marketers, operators and administrators preview for a real customer. "
							+ "Choose a proof set or the sample customer.");
		}
		try {
			List<ChannelPreview> previews = this.previews.preview(options.key(), options.version(), customer,
					(set != null) ? set.data() : null, List.of(options.channel()),
					Locale.forLanguageTag(options.locale()));
			ChannelPreview preview = previews.get(0);
			List<String> pages = (options.channel() == Channel.PRINT && preview.pdf() != null) ? pages(preview.pdf())
					: List.of();
			EditorForm.SmsCount sms = (preview.text() != null && options.channel() == Channel.SMS)
					? EditorForm.SmsCount.of(preview.text(), this.authoring.smsMaxSegments()) : null;
			return new Rendered(options, preview, pages, sms, List.of());
		}
		catch (UnknownCustomerException ex) {
			return problems(options, "There is no customer with the id “" + customer + "”.");
		}
		catch (InvalidTemplateDataException ex) {
			List<String> problems = new ArrayList<>();
			for (DataViolation violation : ex.violations()) {
				problems.add("The preview data does not fit the template: " + violation.path() + " "
						+ violation.message() + ".");
			}
			return new Rendered(options, null, List.of(), null, problems);
		}
		catch (UnsupportedChannelException ex) {
			return problems(options, "This template is not sent by " + options.channel() + ".");
		}
		catch (RuntimeException ex) {
			// a draft whose text cannot be composed yet: say so instead of failing the
			// page
			return problems(options, "The preview cannot be made from this text yet: " + ex.getMessage());
		}
	}

	private static Rendered problems(Options options, String problem) {
		return new Rendered(options, null, List.of(), null, List.of(problem));
	}

	/**
	 * The PDF's pages as images, so the printed document shows in the page whatever PDF
	 * support the browser has.
	 */
	static List<String> pages(byte[] pdf) {
		return ProofComparison.render(pdf).stream().map(ProofComparison::png).toList();
	}

	/**
	 * The printed (or else portal) document of this version beside the published one's,
	 * for the sample customer, with the areas that changed outlined.
	 */
	@GetMapping("/admin/templates/{key}/versions/{version}/compare")
	String compare(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "locale", defaultValue = "en-GB") String locale, Model model) {
		TemplateDefinition template = this.authoring.template(key);
		Integer published = this.authoring.versions(key)
			.stream()
			.filter((v) -> v.state() == VersionState.PUBLISHED)
			.map(TemplateVersion::version)
			.findFirst()
			.orElse(null);
		Channel channel = template.channels().contains(Channel.PRINT) ? Channel.PRINT
				: template.channels().contains(Channel.PORTAL) ? Channel.PORTAL : null;
		model.addAttribute("published", published);
		if (published == null || published == version) {
			model.addAttribute("comparisonProblem", "There is no other published version to compare with.");
		}
		else if (channel == null) {
			model.addAttribute("comparisonProblem",
					"The pictures compare printed or portal documents; this template has neither.");
		}
		else {
			try {
				Locale sample = Locale.forLanguageTag(locale);
				byte[] before = this.previews.preview(key, published, null, null, List.of(channel), sample)
					.get(0)
					.pdf();
				byte[] after = this.previews.preview(key, version, null, null, List.of(channel), sample).get(0).pdf();
				model.addAttribute("comparison", ProofComparison.of(before, after));
				model.addAttribute("channel", channel);
			}
			catch (InvalidTemplateDataException ex) {
				model.addAttribute("comparisonProblem", "The sample data does not fit one of the versions.");
			}
		}
		return "admin/template-preview :: comparison";
	}

}
