package org.ccm.admin;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The captured-messages page of the local run, with the sandbox's messages in place.
 */
@WebMvcTest(controllers = CapturedMessagesPage.class)
@Import({ StaffSecurity.class, CapturedMessagesPageTests.Sandbox.class })
class CapturedMessagesPageTests {

	@Autowired
	MockMvc mvc;

	@Test
	@WithMockUser(roles = "OPS")
	void capturedMailAndSmsAreListedNewestFirstAndEscaped() throws Exception {
		String page = mvc.perform(get("/admin/captured"))
			.andExpect(status().isOk())
			.andExpect(content()
				.string(allOf(containsString("Mail (<span>2</span>)"), containsString("SMS (<span>1</span>)"),
						containsString("Your invoice &lt;INV-1&gt;"), containsString("billing@example.com"),
						containsString("ada@example.com, accounts@example.com"), containsString("Raw message"),
						containsString("Your code is 1234"), containsString("2026-11-23 10:15:00 UTC"),
						not(containsString("delivers to real providers")), not(containsString("<INV-1>")))))
			.andReturn()
			.getResponse()
			.getContentAsString();
		org.assertj.core.api.Assertions.assertThat(page.indexOf("Second mail"))
			.isLessThan(page.indexOf("Your invoice"));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Sandbox {

		@Bean
		CapturedMessages capturedMessages() {
			return new CapturedMessages() {

				@Override
				public List<CapturedMail> mail() {
					return List.of(
							new CapturedMail(Instant.parse("2026-11-23T10:15:00Z"), "billing@example.com",
									List.of("ada@example.com", "accounts@example.com"), "Your invoice <INV-1>",
									"Subject: Your invoice\r\n\r\nHello"),
							new CapturedMail(Instant.parse("2026-11-23T11:00:00Z"), "billing@example.com",
									List.of("ada@example.com"), "Second mail", "Subject: Second mail\r\n\r\nHi"));
				}

				@Override
				public List<CapturedSms> sms() {
					return List.of(new CapturedSms(Instant.parse("2026-11-23T10:16:00Z"), "+15005550006",
							"+447911123456", "Your code is 1234"));
				}

			};
		}

	}

}
