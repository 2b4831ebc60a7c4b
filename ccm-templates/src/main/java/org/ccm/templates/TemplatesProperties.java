package org.ccm.templates;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of template composition ({@code ccm.templates.*}).
 *
 * @param links base addresses that documents link to
 * @param brand what the developer-owned layouts print as the sender
 * @param sms SMS limits
 * @param pdf print and archive PDF settings
 * @param offers targeted offers in documents
 * @param publishedCacheTtl how long a replica may keep using the version it knows as
 * published after another replica published a new one
 */
@ConfigurationProperties("ccm.templates")
@Validated
record TemplatesProperties(@DefaultValue @Valid Links links, @DefaultValue @Valid Brand brand,
		@DefaultValue @Valid Sms sms, @DefaultValue @Valid Pdf pdf, @DefaultValue @Valid OfferSettings offers,
		@DefaultValue("5s") @NotNull Duration publishedCacheTtl) {

	/**
	 * @param portal the customer portal, where customers view and pay their documents
	 */
	record Links(@DefaultValue("http://localhost:8080/portal") @NotNull URI portal) {
	}

	/**
	 * @param name the sender's name in letterheads and the return address line
	 * @param returnAddress the return address printed above the recipient in the envelope
	 * window
	 */
	record Brand(@DefaultValue("Example Energy") @NotBlank String name,
			@DefaultValue("Example Energy Ltd · 1 Example Street · London EC1A 1AA") @NotBlank String returnAddress) {
	}

	/**
	 * @param perDocument targeted offers shown in one document at most
	 * @param requireMarketingConsent show offers only to customers who accept marketing
	 * on the document's channel
	 */
	record OfferSettings(@DefaultValue("1") @Min(0) @Max(5) int perDocument,
			@DefaultValue("true") boolean requireMarketingConsent) {
	}

	/**
	 * @param maxSegments the most segments an SMS may use; longer texts are refused
	 */
	record Sms(@DefaultValue("3") @Min(1) @Max(10) int maxSegments) {
	}

	/**
	 * @param accessible tag the PDF for PDF/UA (costs about a third more rendering time)
	 * @param letterCountries countries (ISO 3166-1 alpha-2) whose customers get US Letter
	 * paper instead of A4
	 * @param allowedHosts hosts a document may load images, stylesheets and fonts from
	 * over HTTP(S) while it is rendered; none by default, so rendering opens no
	 * connection (a draft cannot make the server fetch an internal address)
	 */
	record Pdf(@DefaultValue("true") boolean accessible, @DefaultValue( {
			"US", "CA", "MX", "PH", "CL", "CO", "VE" }) List<String> letterCountries,
			@DefaultValue List<String> allowedHosts){
	}

}
