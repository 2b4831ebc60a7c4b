package org.ccm.templates;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.ContactPoint;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.CustomerStatus;
import org.ccm.core.PostalAddress;

/**
 * Customers and invoice data for composition tests.
 */
final class TestCustomers {

	private TestCustomers() {
	}

	static CustomerProfile customer(String name, Locale locale, PostalAddress address) {
		Instant now = Instant.parse("2026-11-01T09:00:00Z");
		return new CustomerProfile(UUID.randomUUID(), "C-" + UUID.randomUUID(), name, locale, ZoneId.of("UTC"),
				CustomerStatus.ACTIVE, new ContactPoint("someone@example.com", ContactState.VERIFIED),
				new ContactPoint("+447700900123", ContactState.VERIFIED), address, Map.of(), Map.of(), null, List.of(),
				now, now);
	}

	static CustomerProfile alice() {
		return customer("Alice Martin", Locale.forLanguageTag("en-GB"),
				new PostalAddress(List.of("12 Orchard Lane"), "OX1 2JD", "Oxford", "GB", ContactState.VERIFIED));
	}

	static CustomerProfile zofia() {
		return customer("Zofia Łącka", Locale.forLanguageTag("pl-PL"),
				new PostalAddress(List.of("ul. Długa 5 m. 3"), "90-001", "Łódź", "PL", ContactState.VERIFIED));
	}

	static Map<String, Object> invoice(String number) {
		return Map
			.of("invoiceNumber", number, "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency", "GBP", "lines",
					List.of(Map.of("description", "Electricity, October", "quantity", 1, "unitPrice", 84.20),
							Map.of("description", "Standing charge", "quantity", 31, "unitPrice", 0.45)),
					"total", 98.15);
	}

}
