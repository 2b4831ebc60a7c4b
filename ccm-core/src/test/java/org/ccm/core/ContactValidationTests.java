package org.ccm.core;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContactValidationTests {

	// the rules as regular expressions, as they were first written
	static final Pattern LOCAL_PART = Pattern
		.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

	static final Pattern DOMAIN_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	static Optional<String> byRegularExpressions(String value) {
		String email = value.strip();
		int at = email.lastIndexOf('@');
		if (email.length() > 254 || at <= 0 || at == email.length() - 1) {
			return Optional.empty();
		}
		String local = email.substring(0, at);
		String domain;
		try {
			domain = IDN.toASCII(email.substring(at + 1), IDN.USE_STD3_ASCII_RULES);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		String[] labels = domain.split("\\.", -1);
		boolean domainValid = labels.length >= 2 && domain.length() <= 253
				&& List.of(labels).stream().allMatch((label) -> DOMAIN_LABEL.matcher(label).matches())
				&& !labels[labels.length - 1].chars().allMatch(Character::isDigit);
		if (local.length() > 64 || !LOCAL_PART.matcher(local).matches() || !domainValid) {
			return Optional.empty();
		}
		return Optional.of(local + "@" + email.substring(at + 1).toLowerCase(Locale.ROOT));
	}

	@Test
	void emailChecksAgreeWithTheRegularExpressions() {
		List<String> locals = List.of("a", "alice.martin", "Alice", "o'brien", "a+tag", "a..b", ".a", "a.", "a b",
				"\"quoted\"", "a_b-c", "x".repeat(64), "x".repeat(65), "ünï", "a@b", "", "{}|~", "a.b.c.d");
		List<String> domains = List.of("example.com", "Example.COM", "sub.example.co.uk", "example", "example.",
				".example.com", "example..com", "-example.com", "example-.com", "ex_ample.com", "exa-mple.com",
				"123.456", "example.123", "1.example.com", "münchen.de", "xn--mnchen-3ya.de", "例え.jp",
				"a".repeat(63) + ".com", "a".repeat(64) + ".com", "example.com ", "exa mple.com", "", "@example.com",
				"example.c0m", "EXAMPLE.COM");
		List<String> addresses = new ArrayList<>();
		for (String local : locals) {
			for (String domain : domains) {
				addresses.add(local + "@" + domain);
			}
		}
		addresses.addAll(List.of("", "@", "plain", " alice@example.com ", "a@b@example.com", "@example.com", "alice@",
				"a".repeat(250) + "@example.com"));

		for (String address : addresses) {
			assertThat(ContactValidation.email(address)).as(address).isEqualTo(byRegularExpressions(address));
		}
		assertThat(ContactValidation.email(" Alice.Martin@Example.COM ")).contains("Alice.Martin@example.com");
		assertThat(ContactValidation.email("bob@@example")).isEmpty();
	}

}
