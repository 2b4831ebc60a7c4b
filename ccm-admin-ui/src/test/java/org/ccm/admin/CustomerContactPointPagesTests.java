package org.ccm.admin;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ContactPointState;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.Timeline;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A bounced address on the customer page: every staff member sees it with its reason;
 * operators and administrators clear it, with a reason.
 */
@AdminIntegrationTest
class CustomerContactPointPagesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	Timeline timeline;

	@ParameterizedTest
	@ValueSource(strings = { "ADMIN", "OPS" })
	void operatorsClearASuppressedAddressWithAReason(String role) throws Exception {
		CustomerProfile customer = bounced();
		String page = "/admin/customers/" + customer.externalId();

		Document shown = Jsoup.parse(this.mvc.perform(get(page).with(staff(role)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		Element email = shown.getElementById("contact-EMAIL");
		assertThat(email.text()).contains("BOUNCED").contains("550 5.1.1 user unknown");
		Element form = email.selectFirst("form.clear-contact-point");
		assertThat(form).isNotNull();
		assertThat(form.select("input[name=_csrf]")).isNotEmpty();
		assertThat(form.attr("action")).isEqualTo(page + "/contact-points/EMAIL/clear");

		// without the form's token nothing happens
		this.mvc.perform(post(page + "/contact-points/EMAIL/clear").param("reason", "x").with(staff(role)))
			.andExpect(status().isForbidden());

		// a reason is required: the error summary points at the field
		Document refused = Jsoup.parse(this.mvc
			.perform(post(page + "/contact-points/EMAIL/clear").param("reason", " ").with(staff(role)).with(csrf()))
			.andExpect(status().isBadRequest())
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(refused.select(".error-summary a").attr("href")).isEqualTo("#reason-EMAIL");
		assertThat(refused.getElementById("reason-EMAIL-error").text()).contains("Enter why the email address");
		assertThat(state(customer)).isEqualTo(ContactState.BOUNCED);

		this.mvc
			.perform(post(page + "/contact-points/EMAIL/clear").param("reason", "customer confirmed the address")
				.with(staff(role))
				.with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl(page));
		assertThat(state(customer)).isEqualTo(ContactState.UNVERIFIED);
		assertThat(this.timeline.page(customer.id(), null, 10).entries()).anySatisfy((entry) -> {
			assertThat(entry.type()).isEqualTo(InteractionType.CONTACT_POINT_RESTORED);
			assertThat(entry.detail()).containsEntry("reason", "customer confirmed the address")
				.containsEntry("by", "staff-" + role.toLowerCase(Locale.ROOT));
		}).anySatisfy((entry) -> assertThat(entry.type()).isEqualTo(InteractionType.CONTACT_POINT_SUPPRESSED));
		Document after = Jsoup
			.parse(this.mvc.perform(get(page).with(staff(role))).andReturn().getResponse().getContentAsString());
		assertThat(after.getElementById("contact-EMAIL").selectFirst("form")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "MARKETER", "APPROVER", "BRAND" })
	void otherStaffSeeTheSuppressionButCannotClearIt(String role) throws Exception {
		CustomerProfile customer = bounced();
		String page = "/admin/customers/" + customer.externalId();

		Document shown = Jsoup.parse(this.mvc.perform(get(page).with(staff(role)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(shown.getElementById("contact-EMAIL").text()).contains("BOUNCED").contains("user unknown");
		assertThat(shown.select("form.clear-contact-point")).isEmpty();

		this.mvc.perform(
				post(page + "/contact-points/EMAIL/clear").param("reason", "trust me").with(staff(role)).with(csrf()))
			.andExpect(status().isForbidden());
		assertThat(state(customer)).isEqualTo(ContactState.BOUNCED);
	}

	private static org.springframework.test.web.servlet.request.RequestPostProcessor staff(String role) {
		return SecurityMockMvcRequestPostProcessors.user("staff-" + role.toLowerCase(Locale.ROOT)).roles(role);
	}

	private CustomerProfile bounced() {
		String externalId = "B-" + UUID.randomUUID();
		CustomerProfile customer = this.customers.upsert(externalId,
				new CustomerDetails("Bounced Customer", Locale.UK, ZoneId.of("Europe/London"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(),
						Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)), null, List.of()));
		this.customers.markContactState(customer.id(), Channel.EMAIL, ContactState.BOUNCED, "550 5.1.1 user unknown");
		return customer;
	}

	private ContactState state(CustomerProfile customer) {
		return this.customers.contactPoints(customer.id())
			.stream()
			.filter((point) -> point.channel() == Channel.EMAIL)
			.map(ContactPointState::state)
			.findFirst()
			.orElseThrow();
	}

}
