package org.ccm.admin;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.ccm.core.Timeline;
import org.ccm.core.TimelineEntry;
import org.ccm.delivery.PortalInbox;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.tracking.PortalLinks;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@AdminIntegrationTest
class PortalPagesTests {

	static final byte[] PDF = "%PDF-1.7 a stored document".getBytes(StandardCharsets.US_ASCII);

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	PortalInbox inbox;

	@Autowired
	PortalLinks links;

	@Autowired
	Timeline timeline;

	CustomerProfile customer;

	UUID document;

	@BeforeEach
	void customerWithADocument() {
		customer = customer("Grace Hopper");
		document = inbox.deliver(new TrackedMessage(UUID.randomUUID(), UUID.randomUUID(), customer.id()),
				"Invoice INV-7", "<html><body><h1>Invoice INV-7</h1><p>Total \"98.15\"</p></body></html>", PDF);
	}

	@Test
	void aSignedLinkOpensTheCustomersInboxWithoutALogin() throws Exception {
		mvc.perform(get("/portal/{token}", links.token(customer.id())))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Grace Hopper"), containsString("Invoice INV-7"),
					containsString("/documents/" + document + ".pdf"), containsString("(new)"))));
	}

	@Test
	void aDocumentIsShownSandboxedAndMarkedRead() throws Exception {
		String token = links.token(customer.id());
		mvc.perform(get("/portal/{token}/documents/{id}", token, document))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("<iframe"), containsString("sandbox=\"\""),
					containsString("srcdoc=\"&lt;html&gt;&lt;body&gt;&lt;h1&gt;Invoice INV-7"),
					containsString("Download as PDF"))));
		mvc.perform(get("/portal/{token}", token))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("(new)"))));
	}

	@Test
	void thePdfIsDownloaded() throws Exception {
		byte[] body = mvc.perform(get("/portal/{token}/documents/{id}.pdf", links.token(customer.id()), document))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_PDF))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		assertThat(body).isEqualTo(PDF);
	}

	@Test
	void anInvalidLinkIsANotFoundPage() throws Exception {
		String token = links.token(customer.id());
		String tampered = token.substring(0, 5) + ((token.charAt(5) == 'A') ? 'B' : 'A') + token.substring(6);
		for (String link : List.of(tampered, token.substring(0, token.length() - 1), "nothing")) {
			mvc.perform(get("/portal/{token}", link))
				.andExpect(status().isNotFound())
				.andExpect(content()
					.string(allOf(containsString("This page is not available"), not(containsString("Grace Hopper")))));
			mvc.perform(get("/portal/{token}/documents/{id}.pdf", link, document)).andExpect(status().isNotFound());
		}
		// the unsigned addresses printed on paper documents
		for (String path : List.of("/portal", "/portal/invoices/INV-2026-0042")) {
			mvc.perform(get(path))
				.andExpect(status().isNotFound())
				.andExpect(content().string(containsString("use the latest link we sent you")));
		}
	}

	@Test
	void anotherCustomersLinkDoesNotOpenTheDocument() throws Exception {
		String other = links.token(customer("Someone Else").id());
		mvc.perform(get("/portal/{token}/documents/{id}", other, document)).andExpect(status().isNotFound());
		mvc.perform(get("/portal/{token}/documents/{id}.pdf", other, document)).andExpect(status().isNotFound());
		mvc.perform(get("/portal/{token}", other))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("There are no documents in your inbox."),
					not(containsString("Invoice INV-7")))));
	}

	@Test
	void thePreferenceCentreGrantsAndWithdrawsMarketingPerReachableChannel() throws Exception {
		String token = links.token(customer.id());
		Document grid = Jsoup.parse(mvc.perform(get("/portal/{token}/preferences", token))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(grid.select("input[name=_csrf]")).hasSize(1);
		// transactional documents are owed: shown checked, never changeable
		assertThat(grid.select("#transactional input[type=checkbox]")).hasSize(4)
			.allMatch((box) -> box.hasAttr("checked") && box.hasAttr("disabled"));
		assertThat(grid.select("#marketing-EMAIL").hasAttr("disabled")).isFalse();
		assertThat(grid.select("#marketing-EMAIL").hasAttr("checked")).isFalse();
		assertThat(grid.select("#marketing-SMS").hasAttr("disabled")).as("no phone number").isTrue();
		assertThat(grid.select("#marketing td:has(#marketing-SMS)").text()).contains("We have no phone number");
		for (var box : grid.select("input[type=checkbox]")) {
			assertThat(grid.select("label[for=" + box.id() + "]")).as(box.id()).hasSize(1);
		}

		mvc.perform(post("/portal/{token}/preferences", token).param("marketing", "EMAIL"))
			.andExpect(status().isForbidden());
		mvc.perform(post("/portal/{token}/preferences", token).param("marketing", "EMAIL", "SMS").with(csrf()))
			.andExpect(redirectedUrl("/portal/" + token + "/preferences?saved"));
		CustomerProfile granted = customers.findById(customer.id()).orElseThrow();
		assertThat(granted.consents(Channel.EMAIL, Purpose.MARKETING)).isTrue();
		assertThat(granted.consents(Channel.SMS, Purpose.MARKETING)).as("no phone: not offered").isFalse();
		assertThat(customers.consentHistory(customer.id())).anySatisfy((change) -> {
			assertThat(change.source()).isEqualTo("preference centre");
			assertThat(change.changedBy()).isEqualTo("customer");
		});
		Document saved = Jsoup.parse(mvc.perform(get("/portal/{token}/preferences", token).param("saved", ""))
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(saved.select("#marketing-EMAIL").hasAttr("checked")).isTrue();
		assertThat(saved.select("[role=status]").text()).isEqualTo("Your preferences are saved.");

		mvc.perform(post("/portal/{token}/preferences", token).with(csrf())).andExpect(status().is3xxRedirection());
		assertThat(customers.findById(customer.id()).orElseThrow().consents(Channel.EMAIL, Purpose.MARKETING))
			.isFalse();

		mvc.perform(post("/portal/{token}/preferences", "forged").param("marketing", "EMAIL").with(csrf()))
			.andExpect(status().isNotFound());
	}

	@Test
	void thePortalSpeaksTheCustomersLanguageWithTheDocumentsFallback() throws Exception {
		for (Locale locale : List.of(Locale.forLanguageTag("pl-PL"), Locale.forLanguageTag("pl"))) {
			CustomerProfile polish = customer("Jan Kowalski", locale);
			inbox.deliver(new TrackedMessage(UUID.randomUUID(), UUID.randomUUID(), polish.id()), "Faktura FV-1",
					"<html><body>Faktura</body></html>", PDF);
			Document page = Jsoup
				.parse(mvc.perform(get("/portal/{token}", links.token(polish.id())).header("Accept-Language", "en-GB"))
					.andExpect(status().isOk())
					.andReturn()
					.getResponse()
					.getContentAsString());
			assertThat(page.select("html").attr("lang")).startsWith("pl");
			assertThat(page.select("h1").text()).isEqualTo("Dzień dobry, Jan Kowalski");
			assertThat(page.select("#unread-count").text()).isEqualTo("1 nieprzeczytany dokument");
			assertThat(page.select("#preferences-link").text()).isEqualTo("Twoje preferencje");
			Document preferences = Jsoup.parse(mvc.perform(get("/portal/{token}/preferences", links.token(polish.id())))
				.andReturn()
				.getResponse()
				.getContentAsString());
			assertThat(preferences.select("#marketing th").text()).isEqualTo("Oferty i nowości");
		}
		// a language without texts gets the default ones
		CustomerProfile german = customer("Anna Schmidt", Locale.GERMANY);
		Document page = Jsoup.parse(mvc.perform(get("/portal/{token}", links.token(german.id())))
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(page.select("h1").text()).isEqualTo("Hello Anna Schmidt");
		assertThat(page.select("#unread-count").text()).isEqualTo("No unread documents");
	}

	@Test
	void staffViewThePortalReadOnlyAndChangeNothing() throws Exception {
		String base = "/admin/customers/" + customer.externalId() + "/portal";
		for (var staff : List.of(user("mia").roles("MARKETER"), user("otto").roles("OPS"),
				user("ada").roles("ADMIN"))) {
			Document inboxPage = Jsoup.parse(mvc.perform(get(base).with(staff))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
			assertThat(inboxPage.select(".view-as").text()).contains("viewing Grace Hopper's portal as staff")
				.contains("recorded in the audit log");
			assertThat(inboxPage.select("a[href^=/portal/]")).isEmpty();
			assertThat(inboxPage.select("a[href=" + base + "/documents/" + document + "]")).hasSize(1);
			mvc.perform(get(base + "/documents/{id}", document).with(staff)).andExpect(status().isOk());
			mvc.perform(get(base + "/documents/{id}.pdf", document).with(staff))
				.andExpect(status().isOk())
				.andExpect(content().contentType(MediaType.APPLICATION_PDF));
			Document preferences = Jsoup.parse(mvc.perform(get(base + "/preferences").with(staff))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
			assertThat(preferences.select("form[method=post]")).isEmpty();
			assertThat(preferences.select("button[type=submit]")).isEmpty();
			assertThat(preferences.select("#marketing-EMAIL").hasAttr("disabled")).isTrue();
			mvc.perform(post(base + "/preferences").param("marketing", "EMAIL").with(staff).with(csrf()))
				.andExpect(status().isForbidden());
		}
		// staff reading a document leave it unread for the customer
		assertThat(inbox.documents(customer.id())).allMatch((d) -> !d.read());
		assertThat(customers.findById(customer.id()).orElseThrow().consents(Channel.EMAIL, Purpose.MARKETING))
			.isFalse();
		assertThat(customers.consentHistory(customer.id())).isEmpty();
		// approvers and the brand team see no customer's portal
		mvc.perform(get(base).with(user("ann").roles("APPROVER"))).andExpect(status().isForbidden());
		mvc.perform(get(base + "/preferences").with(user("brenda").roles("BRAND"))).andExpect(status().isForbidden());
	}

	@Test
	void theCustomerOrdersChannelsSetsQuietHoursAndPausesOffersOnTheirTimeline() throws Exception {
		String token = links.token(customer.id());
		String nextYear = String.valueOf(java.time.Year.now().getValue() + 1);
		mvc.perform(post("/portal/{token}/preferences", token).param("marketing", "EMAIL")
			.param("order1", "PORTAL")
			.param("order2", "EMAIL")
			.param("order3", "")
			.param("order4", "")
			.param("quietStart", "21:30")
			.param("quietEnd", "07:00")
			.param("pauseUntil", nextYear + "-01-31")
			.with(csrf())).andExpect(redirectedUrl("/portal/" + token + "/preferences?saved"));
		CustomerProfile changed = customers.findById(customer.id()).orElseThrow();
		assertThat(changed.channelsFor(Purpose.TRANSACTIONAL)).containsExactly(Channel.PORTAL, Channel.EMAIL);
		assertThat(changed.quietHours()).isEqualTo(new QuietHours(LocalTime.of(21, 30), LocalTime.of(7, 0)));
		assertThat(changed.marketingPausedUntil())
			.isEqualTo(LocalDate.parse(nextYear + "-02-01").atStartOfDay(ZoneId.of("Europe/London")).toInstant());
		assertThat(changed.marketingPaused(java.time.Instant.now())).isTrue();
		assertThat(changed.consents(Channel.EMAIL, Purpose.MARKETING)).isTrue();
		List<TimelineEntry> entries = timeline.page(customer.id(), null, 20).entries();
		assertThat(entries).anySatisfy((entry) -> {
			assertThat(entry.type()).isEqualTo(InteractionType.PREFERENCES_CHANGED);
			assertThat(entry.detail()).containsEntry("changedBy", "customer")
				.containsEntry("quietHours", "21:30-07:00")
				.containsEntry("source", "preference centre");
		});
		assertThat(entries).anySatisfy((entry) -> assertThat(entry.type()).isEqualTo(InteractionType.CONSENT_CHANGED));

		Document shown = Jsoup.parse(
				mvc.perform(get("/portal/{token}/preferences", token)).andReturn().getResponse().getContentAsString());
		assertThat(shown.select("#order1 option[selected]").val()).isEqualTo("PORTAL");
		assertThat(shown.select("#order2 option[selected]").val()).isEqualTo("EMAIL");
		assertThat(shown.select("#quietStart").val()).isEqualTo("21:30");
		assertThat(shown.select("#pauseUntil").val()).isEqualTo(nextYear + "-01-31");

		// the same again changes nothing and writes nothing
		int before = timeline.page(customer.id(), null, 50).entries().size();
		mvc.perform(post("/portal/{token}/preferences", token).param("marketing", "EMAIL")
			.param("order1", "PORTAL")
			.param("order2", "EMAIL")
			.param("quietStart", "21:30")
			.param("quietEnd", "07:00")
			.param("pauseUntil", nextYear + "-01-31")
			.with(csrf())).andExpect(status().is3xxRedirection());
		assertThat(timeline.page(customer.id(), null, 50).entries()).hasSize(before);
	}

	@Test
	void badPreferencesAreNamedNextToTheirFieldsAndNothingIsSaved() throws Exception {
		String token = links.token(customer.id());
		Document refused = Jsoup
			.parse(mvc.perform(post("/portal/{token}/preferences", token).param("marketing", "EMAIL")
				.param("order1", "EMAIL")
				.param("order2", "EMAIL")
				.param("quietStart", "21:30")
				.param("pauseUntil", "2001-01-01")
				.with(csrf())).andExpect(status().is(422)).andReturn().getResponse().getContentAsString());
		assertThat(refused.select(".error-summary a").eachText()).containsExactly("Choose each channel only once",
				"Enter both times for quiet hours, or neither", "Enter a date in the future");
		for (var link : refused.select(".error-summary a")) {
			assertThat(refused.getElementById(link.attr("href").substring(1))).isNotNull();
		}
		assertThat(refused.select("#order2-error").text()).isEqualTo("Choose each channel only once");
		assertThat(refused.select("#marketing-EMAIL").hasAttr("checked")).as("kept as entered").isTrue();
		CustomerProfile unchanged = customers.findById(customer.id()).orElseThrow();
		assertThat(unchanged.consents(Channel.EMAIL, Purpose.MARKETING)).isFalse();
		assertThat(unchanged.quietHours()).isNull();
	}

	@Test
	void theInboxMarksDocumentsUnreadAndArchivesThem() throws Exception {
		String token = links.token(customer.id());
		mvc.perform(post("/portal/{token}/documents/{id}/read", token, document).param("read", "true").with(csrf()))
			.andExpect(redirectedUrl("/portal/" + token + "?show=inbox"));
		Document read = Jsoup
			.parse(mvc.perform(get("/portal/{token}", token)).andReturn().getResponse().getContentAsString());
		assertThat(read.select("#unread-count").text()).isEqualTo("No unread documents");
		assertThat(read.select("ul.inbox button").eachText()).contains("Mark as unread", "Archive");

		mvc.perform(post("/portal/{token}/documents/{id}/read", token, document).param("read", "false").with(csrf()))
			.andExpect(status().is3xxRedirection());
		assertThat(inbox.documents(customer.id())).singleElement().satisfies((d) -> assertThat(d.read()).isFalse());
		mvc.perform(post("/portal/{token}/documents/{id}/archive", token, document).param("archived", "true")
			.param("show", "unread")
			.with(csrf())).andExpect(redirectedUrl("/portal/" + token + "?show=unread"));
		Document inboxPage = Jsoup
			.parse(mvc.perform(get("/portal/{token}", token)).andReturn().getResponse().getContentAsString());
		assertThat(inboxPage.select("ul.inbox li")).isEmpty();
		assertThat(inboxPage.select("#unread-count").text()).isEqualTo("No unread documents");
		Document archived = Jsoup.parse(mvc.perform(get("/portal/{token}", token).param("show", "archived"))
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(archived.select("ul.inbox li a").first().text()).isEqualTo("Invoice INV-7");
		assertThat(archived.select("nav.filters a[aria-current=page]").text()).isEqualTo("Archived");

		// another customer's link cannot touch the document; a post without its token is
		// refused
		String other = links.token(customer("Someone Else").id());
		mvc.perform(
				post("/portal/{token}/documents/{id}/archive", other, document).param("archived", "false").with(csrf()))
			.andExpect(status().isNotFound());
		mvc.perform(post("/portal/{token}/documents/{id}/archive", token, document).param("archived", "false"))
			.andExpect(status().isForbidden());
		assertThat(inbox.documents(customer.id())).singleElement().satisfies((d) -> assertThat(d.archived()).isTrue());
	}

	private CustomerProfile customer(String name) {
		return customer(name, Locale.UK);
	}

	private CustomerProfile customer(String name, Locale locale) {
		String externalId = "P-" + UUID.randomUUID();
		return customers.upsert(externalId, new CustomerDetails(name, locale, ZoneId.of("Europe/London"),
				externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(), Map.of(), null, List.of()));
	}

}
